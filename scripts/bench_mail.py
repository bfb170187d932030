"""Benchmark mail: N Outlook-style Danish messages with attachments, the same bytes every run.

    python3 scripts/bench_mail.py OUTDIR N [--big MB]

Each message is multipart/mixed > multipart/alternative (text/plain iso-8859-1 quoted-printable,
text/html windows-1252 quoted-printable) + one attachment (PDF-like, base64, 5-60 KB), with
RFC 2047 subjects and names as Outlook writes them. --big writes one extra message with an
attachment of MB megabytes (big.eml) for the memory benchmark.
"""
import base64, os, quopri, random, sys

out, n = sys.argv[1], int(sys.argv[2])
big = int(sys.argv[sys.argv.index("--big") + 1]) if "--big" in sys.argv else 0
os.makedirs(out, exist_ok=True)
rnd = random.Random(20270301)
names = ["Line Grønbæk Nielsen", "Mette Sørensen", "Jonas Kjærgaard", "Søren Østergaard", "Åse Ærø", "Ahmad Rashid"]
areas = ["Bispebjerg", "Valby", "Amager Øst", "Brønshøj-Husum", "Indre Nørrebro", "Vesterbro"]

def qp(text, charset):
    return quopri.encodestring(text.replace("\n", "\r\n").encode(charset, "replace")).replace(b"\n", b"\r\n").replace(b"\r\r\n", b"\r\n")

def b2047(s):
    return "=?utf-8?B?" + base64.b64encode(s.encode()).decode() + "?="

def message(i, attachment):
    who, area = names[i % len(names)], areas[i % len(areas)]
    subject = f"Ansøgning om lokal SSP-indsats: Tryghed i {area} nr. {i}"
    body = (f"Hej SSP Sekretariatet\n\nHermed ansøgning om lokal SSP-indsats i {area}.\n\n"
            f"1. Navn på indsatsen: Tryghed i {area} {i}\n2. Periode: 1. marts 2027 – 30. juni 2027\n"
            f"3. Målgruppe: Unge 13-17 år i {area}\n4. Mål: Færre konflikter og flere i fritidsjob\n"
            f"5. Samarbejdspartnere: Skolen, Klubben (BUF), SOF's gadeplansteam og Politiet\n"
            f"6. Evaluering: Optælling og interview\n7. Økonomiansvarlig: {who}\n"
            f"8. Tovholder: {who}, tovholder{i}@kk.dk, 22 33 44 {i % 90 + 10}\n"
            f"Kontaktperson fra ledergruppen: Kasper Dalgaard Holm\nForankring: {area}, Klub {area}\n"
            "Budget:\nForplejning 4.500,00 kr. marts 2027\nHonorar 9.000,00 kr. maj 2027\nI alt 13.500,00 kr.\n\n"
            f"Med venlig hilsen\n{who}\n" + "Ekstra linje med æøå og – tankestreg. " * rnd.randint(5, 40) + "\n")
    html = "<html><body>" + "".join(f"<p class=MsoNormal>{l}<o:p></o:p></p>" for l in body.split("\n")) + "</body></html>"
    fname = f"Budget {area} – bilag {i}.pdf"
    att = base64.encodebytes(attachment).replace(b"\n", b"\r\n")
    head = (f"From: {b2047(who)} <tovholder{i}@kk.dk>\r\nTo: =?iso-8859-1?Q?SSP_K=F8benhavn?= <ssp@kk.dk>\r\n"
            f"Subject: {b2047(subject)}\r\nDate: Mon, 1 Mar 2027 09:{i % 60:02d}:00 +0100\r\n"
            f"Message-ID: <bench{i:06d}.{rnd.randrange(1 << 32):08x}@EXCH01.kk.dk>\r\nMIME-Version: 1.0\r\n"
            f"Thread-Topic: {b2047(subject)}\r\nX-MS-Has-Attach: yes\r\n"
            "Content-Type: multipart/mixed; boundary=\"_004_mixed\"\r\n\r\n").encode()
    parts = (b"--_004_mixed\r\nContent-Type: multipart/alternative; boundary=\"_000_alt\"\r\n\r\n"
             b"--_000_alt\r\nContent-Type: text/plain; charset=\"iso-8859-1\"\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n"
             + qp(body, "iso-8859-1") + b"\r\n--_000_alt\r\nContent-Type: text/html; charset=\"windows-1252\"\r\n"
             b"Content-Transfer-Encoding: quoted-printable\r\n\r\n" + qp(html, "cp1252") + b"\r\n--_000_alt--\r\n\r\n"
             + f"--_004_mixed\r\nContent-Type: application/pdf; name=\"{b2047(fname)}\"\r\n"
               f"Content-Disposition: attachment; filename=\"{b2047(fname)}\"; size={len(attachment)}\r\n"
               "Content-Transfer-Encoding: base64\r\n\r\n".encode() + att + b"\r\n--_004_mixed--\r\n")
    return head + parts

for i in range(n):
    data = message(i, b"%PDF-1.4\n" + rnd.randbytes(rnd.randint(5, 60) * 1024))
    open(os.path.join(out, f"bench-{i:05d}.eml"), "wb").write(data)
if big:
    open(os.path.join(out, "..", "big.eml"), "wb").write(message(n, b"%PDF-1.4\n" + rnd.randbytes(big * 1024 * 1024)))
