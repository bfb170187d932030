import Testing
import MailCore

/// Shortens the tables below.
private func text(_ html: String) -> String { HTMLText.plainText(fromHTML: html) }

// MARK: - Outlook, Gmail and Apple Mail bodies

/// Trimmed from a real Outlook 365 application mail: conditional comments, VML styles,
/// <xml> islands in <head>, MsoNormal paragraphs inside every cell and <o:p> everywhere.
private let outlookApplication = """
<html xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office" \
xmlns:w="urn:schemas-microsoft-com:office:word" xmlns="http://www.w3.org/TR/REC-html40">
<head>
<meta http-equiv="Content-Type" content="text/html; charset=utf-8">
<meta name="Generator" content="Microsoft Word 15 (filtered medium)">
<!--[if !mso]><style>v\\:* {behavior:url(#default#VML);}
o\\:* {behavior:url(#default#VML);}
</style><![endif]--><style><!--
/* Font Definitions */
@font-face
\t{font-family:"Cambria Math";
\tpanose-1:2 4 5 3 5 4 6 3 2 4;}
p.MsoNormal, li.MsoNormal, div.MsoNormal
\t{margin:0cm;
\tfont-size:11.0pt;
\tfont-family:"Calibri",sans-serif;}
--></style><!--[if gte mso 9]><xml>
<o:shapedefaults v:ext="edit" spidmax="1026" />
</xml><![endif]--><!--[if gte mso 9]><xml>
<o:shapelayout v:ext="edit">
<o:idmap v:ext="edit" data="1" />
</o:shapelayout></xml><![endif]-->
</head>
<body lang="DA" link="#0563C1" vlink="#954F72" style="word-wrap:break-word">
<div class="WordSection1">
<p class="MsoNormal">Hej Socialstyrelsen<o:p></o:p></p>
<p class="MsoNormal"><o:p>&nbsp;</o:p></p>
<p class="MsoNormal">Hermed vores ans&oslash;gning til puljen.<o:p></o:p></p>
<p class="MsoNormal"><o:p>&nbsp;</o:p></p>
<table class="MsoTableGrid" border="1" cellspacing="0" cellpadding="0" style="border-collapse:collapse;border:none">
<tbody>
<tr>
<td width="300" valign="top" style="width:225.4pt;border:solid windowtext 1.0pt;padding:0cm 5.4pt 0cm 5.4pt">
<p class="MsoNormal"><b>1. Navn p&aring; indsatsen<o:p></o:p></b></p>
</td>
<td width="300" valign="top" style="width:225.4pt;border:solid windowtext 1.0pt;border-left:none;padding:0cm 5.4pt 0cm 5.4pt">
<p class="MsoNormal">Tryg i Tingbjerg<o:p></o:p></p>
</td>
</tr>
<tr>
<td width="300" valign="top" style="width:225.4pt;padding:0cm 5.4pt 0cm 5.4pt">
<p class="MsoNormal"><b>2. Kommune<o:p></o:p></b></p>
</td>
<td width="300" valign="top" style="width:225.4pt;padding:0cm 5.4pt 0cm 5.4pt">
<p class="MsoNormal">K&oslash;benhavns Kommune<o:p></o:p></p>
</td>
</tr>
<tr>
<td width="300" valign="top">
<p class="MsoNormal"><b>3. Kontaktperson<o:p></o:p></b></p>
</td>
<td width="300" valign="top">
<p class="MsoNormal">Mette Hansen<o:p></o:p></p>
<p class="MsoNormal"><a href="mailto:mette@kk.dk">mette@kk.dk</a><o:p></o:p></p>
</td>
</tr>
<tr>
<td width="300" valign="top">
<p class="MsoNormal"><b>4. Ans&oslash;gt bel&oslash;b<o:p></o:p></b></p>
</td>
<td width="300" valign="top">
<p class="MsoNormal">1.250.000&nbsp;kr.<o:p></o:p></p>
</td>
</tr>
</tbody>
</table>
<p class="MsoNormal"><o:p>&nbsp;</o:p></p>
<p class="MsoListParagraph" style="text-indent:-18.0pt;mso-list:l0 level1 lfo1"><![if !supportLists]>\
<span style="mso-list:Ignore">a)<span style="font:7.0pt &quot;Times New Roman&quot;">&nbsp;&nbsp;&nbsp;&nbsp;&nbsp;\
</span></span><![endif]>Budget vedh&aelig;ftet<o:p></o:p></p>
<p class="MsoNormal"><o:p>&nbsp;</o:p></p>
<p class="MsoNormal">Med venlig hilsen<o:p></o:p></p>
<p class="MsoNormal">Mette Hansen<o:p></o:p></p>
</div>
</body>
</html>
"""

/// Holds for any input without <pre>: the whitespace rules are what extraction relies on.
private func checkShape(_ out: String, input: String) {
    let scalars = out.unicodeScalars
    #expect(!out.contains("\n\n\n"), "\(input.debugDescription)")
    #expect(!out.contains("  ") && !out.contains(" \n") && !out.contains("\n "), "\(input.debugDescription)")
    #expect(!out.contains("\t\n") && !out.contains(" \t") && !out.contains("\t "), "\(input.debugDescription)")
    #expect(!scalars.contains("\r"), "\(input.debugDescription)")
    if let first = scalars.first, let last = scalars.last {
        #expect(first != " " && first != "\n" && last != " " && last != "\n" && last != "\t",
                "\(input.debugDescription)")
    }
}

@Suite struct HTMLTextTests {
    @Test func outlookApplicationTableBecomesTabSeparatedLines() {
        let expected = """
            Hej Socialstyrelsen

            Hermed vores ansøgning til puljen.

            1. Navn på indsatsen\tTryg i Tingbjerg
            2. Kommune\tKøbenhavns Kommune
            3. Kontaktperson\tMette Hansen mette@kk.dk
            4. Ansøgt beløb\t1.250.000 kr.

            a) Budget vedhæftet

            Med venlig hilsen
            Mette Hansen
            """
        let result = text(outlookApplication)
        #expect(result == expected)
        #expect(result.split(separator: "\n").contains("1. Navn på indsatsen\tTryg i Tingbjerg"))
    }

    @Test func gmailDivsAndQuote() {
        let html = """
            <div dir="ltr"><div>Hej,</div><div><br></div><div>Navn: Tryg i Tingbjerg</div>\
            <div>Kommune: K&oslash;benhavn</div><br><div class="gmail_quote"><div dir="ltr" \
            class="gmail_attr">Den tor. 3. okt. 2024 kl. 10.15 skrev Anna &lt;<a href="mailto:anna@x.dk">\
            anna@x.dk</a>&gt;:<br></div><blockquote class="gmail_quote" style="margin:0px 0px 0px 0.8ex">\
            Tidligere tekst</blockquote></div></div>
            """
        #expect(text(html) == """
            Hej,

            Navn: Tryg i Tingbjerg
            Kommune: København

            Den tor. 3. okt. 2024 kl. 10.15 skrev Anna <anna@x.dk>:
            > Tidligere tekst
            """)
    }

    @Test func appleMailBody() {
        let html = """
            <html><head><meta http-equiv="content-type" content="text/html; charset=utf-8"></head>\
            <body style="overflow-wrap: break-word; -webkit-nbsp-mode: space;">Hej<div><br></div>\
            <div>Navn:&nbsp;Tryg</div><div><br><div><blockquote type="cite"><div>Den 3. okt. 2024 \
            kl. 10.15 skrev Anna:</div><br class="Apple-interchange-newline"><div><div>Gammel</div>\
            </div></blockquote></div><br></div></body></html>
            """
        #expect(text(html) == "Hej\n\nNavn: Tryg\n\n> Den 3. okt. 2024 kl. 10.15 skrev Anna:\n\n> Gammel")
    }

    // MARK: - Tables

    @Test(arguments: [
        ("<table><tr><td>A</td><td>B</td></tr><tr><td>C</td><td>D</td></tr></table>", "A\tB\nC\tD"),
        ("<TABLE><TR><TD>A</TD><TH>B</TH></TR></TABLE>", "A\tB"),
        // End tags are optional in real mail.
        ("<table><tr><td>A<td>B<tr><td>C<td>D</table>", "A\tB\nC\tD"),
        ("<table><td>A</td><td>B</td></table>", "A\tB"),
        ("<table>\n <tr>\n  <td>\n   A \n  </td>\n  <td> B </td>\n </tr>\n</table>", "A\tB"),
        // Empty cells keep their column; empty trailing cells leave no tab.
        ("<table><tr><td>A</td><td></td><td>C</td></tr></table>", "A\t\tC"),
        ("<table><tr><td></td><td>B</td></tr></table>", "\tB"),
        ("<table><tr><td>A</td><td>&nbsp;</td><td></td></tr></table>", "A"),
        ("<table><tr><td></td><td> </td></tr><tr><td>A</td></tr></table>", "A"),
        // Block breaks inside a cell keep the row on one line.
        ("<table><tr><td><p>A</p><p>B</p></td><td>x<br>y</td></tr></table>", "A B\tx y"),
        ("<table><tr><td><div>A</div><ul><li>1</li><li>2</li></ul></td><td>B</td></tr></table>", "A 1 2\tB"),
        // A nested table is flattened into its cell with spaces.
        ("<table><tr><td>Ydre</td><td><table><tr><td>a</td><td>b</td></tr><tr><td>c</td></tr></table></td>"
            + "<td>Sidst</td></tr><tr><td>Næste</td></tr></table>", "Ydre\ta b c\tSidst\nNæste"),
        ("<table><tr><td><table><tr><td><table><tr><td>x</td><td>y</td></tr></table></td></tr></table>"
            + "</td><td>z</td></tr></table>", "x y\tz"),
        ("Før<table><tr><td>A</td></tr></table>Efter", "Før\nA\nEfter"),
        ("<table><tr><td>A</td><td>B</td></tr></table><table><tr><td>C</td></tr></table>", "A\tB\nC"),
        ("</td></tr></table>Hej<td>du", "Hej du"),
    ] as [(String, String)])
    func tables(html: String, expected: String) {
        #expect(text(html) == expected)
    }

    @Test func threeColumnBudgetTable() {
        let html = """
            <table border=1 cellpadding=0>
            <tr><th>Post</th><th>2024</th><th>2025</th></tr>
            <tr><td><p class=MsoNormal>L&oslash;n<o:p></o:p></p></td>\
            <td><p class=MsoNormal align=right>450.000<o:p></o:p></p></td>\
            <td><p class=MsoNormal align=right>460.000<o:p></o:p></p></td></tr>
            <tr><td>Aktiviteter og materialer</td><td>50.000</td><td>55.000</td></tr>
            <tr><td><b>I alt</b></td><td><b>500.000</b></td><td><b>515.000</b></td></tr>
            </table>
            """
        #expect(text(html) == """
            Post\t2024\t2025
            Løn\t450.000\t460.000
            Aktiviteter og materialer\t50.000\t55.000
            I alt\t500.000\t515.000
            """)
    }

    // MARK: - Line breaks and blocks

    @Test(arguments: [
        ("A<br>B", "A\nB"),
        ("A<br/>B<BR >C<br clear=all />D", "A\nB\nC\nD"),
        ("A</br>B", "A\nB"),
        ("A<br><br>B", "A\n\nB"),
        ("A<br><br><br><br>B", "A\n\nB"),
        ("<p>A</p><p>B</p>", "A\nB"),
        ("<P CLASS=MsoNormal>A</P>B", "A\nB"),
        ("<div>A</div><div>B</div>", "A\nB"),
        ("<div>A<div>B</div>C</div>", "A\nB\nC"),
        ("A<div>B</div>C", "A\nB\nC"),
        ("<div>A<br></div><div>B</div>", "A\nB"),
        ("<div>A</div><div><br></div><div>B</div>", "A\n\nB"),
        ("<p>A</p><p>&nbsp;</p><p>B</p>", "A\n\nB"),
        ("<p>A</p><p>&nbsp;</p><p>&nbsp;</p><p>&nbsp;</p><p>B</p>", "A\n\nB"),
        ("<h1>Titel</h1>Tekst<h6>Lille</h6>", "Titel\nTekst\nLille"),
        ("<ul><li>en</li><li>to<ol><li>tre</li></ol></li></ul>", "en\nto\ntre"),
        ("A<hr>B<hr/>C", "A\nB\nC"),
        ("<blockquote>Citat</blockquote>Svar", "> Citat\nSvar"),
        ("<dl><dt>Navn</dt><dd>Tryg</dd></dl>", "Navn\nTryg"),
        ("<section><header>H</header><article>A</article><footer>F</footer></section>", "H\nA\nF"),
        ("<center>C</center><address>Adr</address><form><fieldset>F</fieldset></form>", "C\nAdr\nF"),
        ("<br><br><p>A</p><br><br>", "A"),
        ("<b>Na</b>vn <i>på</i> <span style='x'>indsatsen</span>", "Navn på indsatsen"),
        ("<a href=\"https://x.dk/?a=1&amp;b=2\">Link tekst</a>", "Link tekst"),
        ("Før<img src=\"logo.png\" alt=\"Logo\">efter", "Førefter"),
    ] as [(String, String)])
    func lineBreaks(html: String, expected: String) {
        #expect(text(html) == expected)
    }

    // MARK: - Whitespace

    @Test(arguments: [
        ("  A   \n\t B  ", "A B"),
        ("A\r\n\r\nB", "A B"),
        ("A&nbsp;&nbsp; &nbsp;B", "A B"),
        ("A&#160;&#xA0;B", "A B"),
        ("A\u{A0}\u{A0}B", "A B"),
        ("<p>&nbsp;A&nbsp;</p>", "A"),
        ("<p>\n  Hej\n  med   dig\n</p>", "Hej med dig"),
        ("<div> A </div> <div> B </div>", "A\nB"),
        ("A&#32;&#10;&#9;B", "A B"),
        ("\u{FEFF}Hej", "Hej"),
        ("<pre>\n  a  b\n\tc\n</pre>", "  a  b\n\tc"),
        ("x<pre>linje1\r\n  linje2</pre>y", "x\nlinje1\n  linje2\ny"),
        ("<pre>a&nbsp;&nbsp;b &lt;c&gt;</pre>", "a  b <c>"),
        ("<pre>a\n\n\nb</pre>", "a\n\n\nb"),
    ] as [(String, String)])
    func whitespace(html: String, expected: String) {
        #expect(text(html) == expected)
    }

    // MARK: - Entities

    @Test(arguments: [
        ("&aelig;&oslash;&aring;&AElig;&Oslash;&Aring;", "æøåÆØÅ"),
        ("&#230;&#248;&#229;", "æøå"),
        ("&#230;&#xE6;&#Xe6;&#xe6;", "ææææ"),
        ("&#230 &#xE6.", "æ æ."),
        ("&#230abc", "&#230abc"),
        ("&#150; &#151; &#128; &#146; &#133;", "– — € ’ …"),
        ("&#0;&#xD800;&#x110000;&#99999999999999999999;", "\u{FFFD}\u{FFFD}\u{FFFD}\u{FFFD}"),
        ("&#x1F600;", "😀"),
        ("&euro;&ndash;&mdash;&hellip;&laquo;&raquo;", "€–—…«»"),
        ("&ldquo;&rdquo;&lsquo;&rsquo;&bull;&middot;", "“”‘’•·"),
        ("&copy;&reg;&trade;&deg;&sect;&para;", "©®™°§¶"),
        ("&times;&divide;&plusmn;&frac12;&frac14;&apos;", "×÷±½¼'"),
        ("&Omega;&alpha;&rarr;&hArr;&forall;&ne;&spades;&thetasym;", "Ωα→⇔∀≠♠ϑ"),
        ("&amp;&lt;&gt;&quot; &AMP;&LT;&GT;&QUOT;", "&<>\" &<>\""),
        ("&aring; &Aring; &ARING; &NBSP;", "å Å &ARING; &NBSP;"),
        ("&foo; &Amp; & x &", "&foo; &Amp; & x &"),
        ("&amp &nbsp<b>x</b>", "& x"),
        ("Tom &amp; Jerry", "Tom & Jerry"),
        ("&lt;p&gt;ikke et tag&lt;/p&gt;", "<p>ikke et tag</p>"),
        ("&&amp;&", "&&&"),
        ("&#;&#x;&#", "&#;&#x;&#"),
    ] as [(String, String)])
    func entities(html: String, expected: String) {
        #expect(text(html) == expected)
    }

    /// Swift's String == treats canonically equivalent text as equal, so compare scalars:
    /// U+2329 must not come out as its NFC form U+3008.
    @Test func entitiesKeepExactScalars() {
        let scalars = text("&lang;&rang;&shy;&zwnj;&lrm;").unicodeScalars.map(\.value)
        #expect(scalars == [0x2329, 0x232A, 0xAD, 0x200C, 0x200E])
    }

    // MARK: - Dropped content

    @Test(arguments: [
        ("<style>p{color:red}</style>Hej", "Hej"),
        ("<STYLE type=\"text/css\">a > b { content: '</p>' }</STYLE >Hej", "Hej"),
        ("<script>if (a < b) { x = '</div>' }</script>Hej", "Hej"),
        ("A<!-- kommentar <p>x</p> -->B", "AB"),
        ("A<!---->B<!-->C<!--->D<!-- x --!>E", "ABCDE"),
        ("A<!--[if gte mso 9]><xml><o:OfficeDocumentSettings><o:AllowPNG/></o:OfficeDocumentSettings>"
            + "</xml><![endif]-->B", "AB"),
        ("<!--[if !mso]><style>v\\:* {behavior:url(#default#VML);}</style><![endif]-->Hej", "Hej"),
        ("<!DOCTYPE html PUBLIC \"-//W3C//DTD XHTML 1.0 Transitional//EN\"><?xml version=\"1.0\"?>Hej", "Hej"),
        ("<?xml:namespace prefix = o ns = \"urn:schemas-microsoft-com:office:office\" />Hej", "Hej"),
        ("A<![CDATA[ x > y ]]>B", "AB"),
        ("<html><head><title>Emne</title><meta charset=utf-8></head><body>Hej</body></html>", "Hej"),
        ("<head><style>x</style>Skjult</head>Hej", "Hej"),
        ("<head><title>T</title><div>Synlig</div>", "Synlig"),
        ("<title>Emne</title>Hej", "Hej"),
        ("<xml><w:WordDocument><w:View>Normal</w:View><w:Zoom>0</w:Zoom></w:WordDocument></xml>Hej", "Hej"),
        ("<p class=MsoNormal>Tekst<o:p></o:p></p><o:p>&nbsp;</o:p>", "Tekst"),
        ("<p>Hej<o:p/></p><v:shape id=x><v:imagedata src=y /></v:shape>", "Hej"),
        ("A<![if !supportLists]>1.<![endif]>B", "A1.B"),
        ("<script src=x.js />Hej", "Hej"),
    ] as [(String, String)])
    func droppedContent(html: String, expected: String) {
        #expect(text(html) == expected)
    }

    // MARK: - Tags, quotes and broken input

    @Test(arguments: [
        ("<p title=\"a > b\">Hej</p>", "Hej"),
        ("<p title='x>y' class=z>Hej</p>", "Hej"),
        ("<p title = \"a>b\" data-x='\"'>Hej</p>", "Hej"),
        ("<a href=x>A</a> < B", "A < B"),
        ("1 < 2 og 3 > 2", "1 < 2 og 3 > 2"),
        ("A</>B", "AB"),
        ("A</ x>B", "AB"),
        // Cut off at the end: the text before survives.
        ("Hej<!-- aldrig lukket <p>x", "Hej"),
        ("Hej<p class=\"aldrig lukket>x", "Hej"),
        ("Hej<p class=x", "Hej"),
        ("Hej<", "Hej<"),
        ("Hej</", "Hej</"),
        ("Hej<!", "Hej"),
        ("Hej<style>body{}", "Hej"),
        ("Hej<![CDATA[x", "Hej"),
        ("Hej<!DOCTYPE", "Hej"),
        ("Hej<?xml", "Hej"),
        ("Hej&", "Hej&"),
        ("Hej&#x", "Hej&#x"),
        ("<table><tr><td>A", "A"),
        ("<table><tr><td>A</td><td>B", "A\tB"),
        ("", ""),
        ("   \n ", ""),
        ("<p></p><div>&nbsp;</div><br>", ""),
        ("\0A\0", "A"),
    ] as [(String, String)])
    func brokenInput(html: String, expected: String) {
        #expect(text(html) == expected)
    }

    // MARK: - Robustness

    @Test func randomBytesNeverCrashOrHang() {
        var rng = MIMEFuzzRNG(seed: 0x5EED)
        let interesting = Array("<>/!-&#;xX\"'= abptdr\n\u{C2}\u{A0}".utf8)
        let clock = ContinuousClock()
        let elapsed = clock.measure {
            for round in 0..<10_000 {
                let count = Int.random(in: 0..<300, using: &rng)
                var bytes = [UInt8]()
                bytes.reserveCapacity(count)
                for _ in 0..<count {
                    // Uniform bytes rarely form markup, so half the rounds draw from markup characters.
                    bytes.append(round.isMultiple(of: 2)
                        ? UInt8.random(in: 0...255, using: &rng)
                        : interesting.randomElement(using: &rng)!)
                }
                let input = String(decoding: bytes, as: UTF8.self)
                let out = text(input)
                if !input.lowercased().contains("<pre") && !input.lowercased().contains("<listing") {
                    checkShape(out, input: input)
                }
            }
        }
        #expect(elapsed < .seconds(20))
    }

    @Test func randomTagSoupNeverCrashOrHang() {
        var rng = MIMEFuzzRNG(seed: 42)
        let pieces = [
            "<p>", "</p>", "<p class=MsoNormal>", "<div>", "</div>", "<br>", "<br/>", "</br>", "<table>",
            "</table>", "<tr>", "</tr>", "<td>", "</td>", "<th>", "<li>", "<ul>", "</ul>", "<h1>", "<hr>",
            "<blockquote>", "</blockquote>", "<!--", "-->", "<!--[if gte mso 9]>", "<![endif]-->",
            "<![if !supportLists]>", "<![endif]>", "<style>", "</style>", "<script>", "</script>", "<head>",
            "</head>", "<title>", "</title>", "<body>", "<xml>", "</xml>", "<![CDATA[", "]]>", "<?xml ",
            "<!DOCTYPE html>", "<o:p>", "</o:p>", "<o:p/>", "<v:shape>", "<w:WordDocument>", "<a href=\"",
            "<a href='", "\"", "'", ">", "<", "</", "&", "&nbsp;", "&nbsp", "&amp", "&#150;", "&#x",
            "&#xE6;", "&aring;", "&bogus;", "&#9;", "&#10;", "tekst", "Navn", "æøå", " ", "  ", "\n",
            "\r\n", "\t", "\u{A0}", "=", "/", "!", "-", "--",
        ]
        let clock = ContinuousClock()
        let elapsed = clock.measure {
            for _ in 0..<10_000 {
                var input = ""
                for _ in 0..<Int.random(in: 0..<60, using: &rng) { input += pieces.randomElement(using: &rng)! }
                checkShape(text(input), input: input)
            }
        }
        #expect(elapsed < .seconds(20))
    }

    /// Inputs built to trigger quadratic rescans or deep stacks; each must stay linear.
    @Test(arguments: [
        "<p title=\"" + String(repeating: "x>", count: 500_000) + "\">Hej</p>",
        String(repeating: "<table><tr><td>", count: 20_000) + "Hej",
        String(repeating: "<div>", count: 200_000) + "Hej",
        String(repeating: "<a ", count: 200_000) + "Hej",
        String(repeating: "<!x", count: 200_000),
        String(repeating: "&#1", count: 200_000),
        String(repeating: "&aeligx", count: 200_000),
        String(repeating: "<style>", count: 100_000),
        String(repeating: "<br>", count: 200_000) + "Hej",
        String(repeating: "<td>", count: 200_000) + "Hej",
    ])
    func adversarialInputStaysFast(html: String) {
        let elapsed = ContinuousClock().measure { _ = text(html) }
        #expect(elapsed < .seconds(5))
    }

    @Test func deepNestingKeepsText() {
        #expect(text(String(repeating: "<table><tr><td>", count: 20_000) + "Hej") == "Hej")
        #expect(text("<p title=\"" + String(repeating: "x>", count: 100_000) + "\">Hej</p>") == "Hej")
    }
}

@Suite struct HTMLBlockquoteTests {
    @Test func blockquoteLinesAreMarkedAsQuoted() {
        let t = HTMLText.plainText(fromHTML: "<div>Godkendt</div><div>Den 1. marts skrev Line:</div><blockquote type=\"cite\"><div>Kan I godkende?</div><blockquote><p>Ældre</p></blockquote></blockquote><p>Mvh</p>")
        #expect(t == "Godkendt\nDen 1. marts skrev Line:\n> Kan I godkende?\n>> Ældre\nMvh")
    }

    @Test func unclosedBlockquoteDoesNotBreakTheText() {
        #expect(HTMLText.plainText(fromHTML: "<p>a</p><blockquote><p>b") == "a\n> b")
        #expect(HTMLText.plainText(fromHTML: "</blockquote><p>c</p>") == "c")
    }
}
