#!/usr/bin/python3
"""The workbench in a real headless Chromium (issue 16), against Tests/Browser/CONTRACT.md.

Usage: Tests/Browser/workbench_test.py PATH/TO/ssp-intake [--screenshots DIR] [--keep]

Builds a workspace from the repo's config/ and mailbox-samples/ in a temporary folder, reads the
mailbox (run --once), adds a Secretariat user and a reader, starts `ssp-intake web` on a free port
and then, as the Secretariat: logs in, filters the queue, opens an application, approves it with an
amount, corrects a field, moves a receipt to another project and checks the budget page's figures
against the ones read before. As the reader: no action forms anywhere. Any console error and any
CSP violation on any page fails the run. Every page is kept as a full-page screenshot
(default .build/browser-screenshots/, git-ignored with the rest of .build/).

Runs on Debian's python3-selenium, chromium and chromium-driver (scripts/build-deps --browser).
"""
import argparse
import base64
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from decimal import Decimal
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]

SECRETARY = ("anne", "browsertest-sekretariat-1")
READER = ("lise", "browsertest-laeser-1")
APPLICATION = "SSP-2027-0004"   # approved by its leader group, not yet by the Secretariat: 21.000,00 requested
APPROVED = Decimal("20000.00")  # less than requested, so the form's prefilled figure must really be replaced
RECEIPT = "S-13"                # a receipt of APPLICATION (Bispebjerg) ...
TARGET = "SSP-2027-0007"        # ... moved to a project in Indre Nørrebro
FROM_AREA, TO_AREA = "Bispebjerg", "Indre Nørrebro"
NEW_GOALS = "Mindst 25 unge i fritidsjob inden udgangen af 2027 (rettet i browsertesten)"

# Recorded before any of the page's own code runs, so a violation during parsing is caught too.
CSP_RECORDER = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', function (e) {
  window.__cspViolations.push(e.violatedDirective + ' blokerede ' + (e.blockedURI || 'inline') +
    ' i ' + (e.sourceFile || document.location.href) + ':' + e.lineNumber + (e.sample ? ' (' + e.sample + ')' : ''));
}, true);
"""


class Failure(Exception):
    pass


def say(line):
    print(f"workbench_test: {line}", flush=True)


def danish_amount(text):
    """`254.687,50 kr.` → Decimal('254687.50')."""
    t = text.replace("kr.", "").replace("\u00a0", "").replace(" ", "").replace("\u2212", "-").strip()
    try:
        return Decimal(t.replace(".", "").replace(",", "."))
    except Exception:
        raise Failure(f"'{text}' på budgetsiden er ikke et beløb") from None


def danish(d):
    s = f"{d:,.2f}"  # 20,000.00
    return s.replace(",", "#").replace(".", ",").replace("#", ".") + " kr."


class WebServer:
    """`ssp-intake web` on a free port; its stderr is kept for the failure message."""

    def __init__(self, binary, config):
        self.lines = []
        self.address = None
        self.proc = subprocess.Popen([binary, "web", "--listen", "127.0.0.1:0", "--config", config],
                                     stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                     stderr=subprocess.PIPE, text=True)
        listening = threading.Event()

        def drain():
            for line in self.proc.stderr:
                self.lines.append(line.rstrip("\n"))
                if self.address is None and "lytter på http://" in line:
                    self.address = line.split("lytter på http://", 1)[1].split()[0]
                    listening.set()
            listening.set()

        threading.Thread(target=drain, daemon=True).start()
        if not listening.wait(15) or self.address is None:
            self.stop()
            raise Failure("ssp-intake web lyttede ikke inden 15 s:\n" + "\n".join(self.lines))

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


class Browser:
    """Headless Chromium whose every page is checked for console errors and CSP violations and photographed."""

    def __init__(self, base, shots, profile):
        try:
            from selenium import webdriver
            from selenium.webdriver.chrome.service import Service
        except ImportError:
            raise Failure(f"Selenium mangler for {sys.executable}: kør scripts/build-deps --browser (Debians python3-selenium)") from None

        chromium = shutil.which("chromium")
        driver = shutil.which("chromedriver") or ("/usr/bin/chromedriver" if os.path.exists("/usr/bin/chromedriver") else None)
        if not chromium or not driver:
            raise Failure("chromium eller chromedriver mangler: kør scripts/build-deps --browser "
                          "(Debians chromium, chromium-driver og python3-selenium)")
        opts = webdriver.ChromeOptions()
        opts.binary_location = chromium
        for a in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                  "--window-size=1280,900", "--no-first-run", "--disable-extensions",
                  "--disable-background-networking", "--disable-sync", "--lang=da-DK",
                  f"--user-data-dir={profile}"):
            opts.add_argument(a)
        opts.set_capability("goog:loggingPrefs", {"browser": "ALL"})
        self.driver = webdriver.Chrome(service=Service(executable_path=driver), options=opts)
        self.driver.set_page_load_timeout(20)
        self.driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": CSP_RECORDER})
        self.base = base
        self.shots = shots
        self.count = 0
        self.notes = []

    def quit(self):
        try:
            self.driver.quit()
        except Exception:
            pass

    # -- reading the page

    def css(self, selector, within=None):
        from selenium.webdriver.common.by import By
        found = (within or self.driver).find_elements(By.CSS_SELECTOR, selector)
        if not found:
            raise Failure(f"{self.where()}: ingen '{selector}'")
        return found[0]

    def all(self, selector, within=None):
        from selenium.webdriver.common.by import By
        return (within or self.driver).find_elements(By.CSS_SELECTOR, selector)

    def where(self):
        return self.driver.current_url.replace(self.base, "") or "/"

    def text(self, selector):
        return self.css(selector).get_attribute("textContent").strip()

    # -- moving

    def open(self, path):
        self.driver.get(self.base + path)

    def submit(self, button_selector):
        """Clicks a submit button and waits for the next document (the 303's target) to be loaded."""
        from selenium.webdriver.support.ui import WebDriverWait
        old = self.css("html")
        self.css(button_selector).click()

        def loaded(d):
            try:
                old.tag_name  # raises once the old document is gone
                return False
            except Exception:
                return d.execute_script("return document.readyState") == "complete"

        WebDriverWait(self.driver, 15).until(loaded, f"ingen ny side efter klik på {button_selector}")

    def fill(self, selector, value):
        field = self.css(selector)
        field.clear()
        field.send_keys(value)

    def choose(self, selector, value):
        from selenium.webdriver.support.ui import Select
        Select(self.css(selector)).select_by_value(value)

    # -- the checks every page gets

    def check(self, name, expect_violation=False):
        """Fails on a console error or a CSP violation on the page now shown; keeps a full-page screenshot."""
        d = self.driver
        if d.execute_script("return document.readyState") != "complete":
            time.sleep(0.2)
        # Reports are queued as tasks: let them land before reading.
        time.sleep(0.05)
        violations = d.execute_script("return window.__cspViolations")
        if violations is None:
            raise Failure(f"{self.where()}: CSP-optageren kørte ikke (Page.addScriptToEvaluateOnNewDocument)")
        log = d.get_log("browser")
        errors = [f"{e.get('source', '')}: {e['message']}" for e in log if e.get("level") == "SEVERE"]
        self.notes += [f"{name}: {e['level']}: {e['message']}" for e in log if e.get("level") == "WARNING"]
        self.screenshot(name)
        if expect_violation:
            return violations, errors
        if violations:
            raise Failure(f"{self.where()}: CSP-overtrædelse:\n  " + "\n  ".join(violations))
        if errors:
            raise Failure(f"{self.where()}: fejl i browserens konsol:\n  " + "\n  ".join(errors))
        return [], []

    def final_check(self):
        """What the console logged after the last page was checked (a late request of that page)."""
        time.sleep(0.3)
        late = [f"{e.get('source', '')}: {e['message']}" for e in self.driver.get_log("browser") if e.get("level") == "SEVERE"]
        if late:
            raise Failure("fejl i browserens konsol efter sidste side:\n  " + "\n  ".join(late))

    def screenshot(self, name):
        self.count += 1
        shot = self.driver.execute_cdp_cmd("Page.captureScreenshot", {"format": "png", "captureBeyondViewport": True})
        (self.shots / f"{self.count:02d}-{name}.png").write_bytes(base64.b64decode(shot["data"]))


def budget_figures(b):
    ids = ("pool", "requested", "granted", "spent", "refunded", "left")
    figures = {i: danish_amount(b.text("#" + i)) for i in ids}
    areas = {}
    for row in b.all("table#budget-areas tbody tr"):
        name = row.find_element("css selector", "th").get_attribute("textContent").strip()
        # The meetings row has no figures for requested and granted: blank cells stay None.
        cells = [danish_amount(t) if t else None
                 for t in (td.get_attribute("textContent").strip() for td in row.find_elements("css selector", "td"))]
        areas[name] = dict(zip(("requested", "granted", "spent", "refunded"), cells))
    figures["areas"] = areas
    b.css("svg#month-chart")
    b.css("table#budget-months")
    return figures


def expect(cond, message):
    if not cond:
        raise Failure(message)


def flash_ok(b, what):
    flash = b.css("div#flash")
    classes = (flash.get_attribute("class") or "").split()
    expect("ok" in classes, f"{b.where()}: {what}: div#flash er {classes}, ikke ok: {flash.get_attribute('textContent').strip()}")
    return flash.get_attribute("textContent").strip()


def status_of(b):
    """The case's status as the facts line shows it (the badge after 'Status:')."""
    return b.text("p.facts .badge")


def login(b, who):
    name, password = who
    b.open("/login")
    b.check(f"log-ind-{name}")
    b.fill("form#login input[name=navn]", name)
    b.fill("form#login input[name=kode]", password)
    b.submit("form#login button[type=submit]")
    expect(b.where() == "/", f"log ind som {name} endte på {b.where()}, ikke /")
    b.css("a#nav-queue")
    b.css("form#logout")


def logout(b):
    b.submit("form#logout button")
    expect(b.where() == "/login", f"log ud endte på {b.where()}, ikke /login")
    b.check("logget-ud")


def self_check(b):
    """Proves that both detectors see something: an inline style attribute the CSP must refuse."""
    b.open("/login")
    b.driver.execute_script("var d = document.createElement('div'); d.innerHTML = '<p style=\"color:red\">x</p>';"
                            "document.body.appendChild(d);")
    time.sleep(0.3)
    violations, errors = b.check("selvtjek", expect_violation=True)
    expect(any("style-src" in v for v in violations),
           f"selvtjek: CSP-optageren så ikke en inline style-attribut (fik {violations})")
    expect(any("Content Security Policy" in e or "style" in e for e in errors),
           f"selvtjek: browserens konsol viste ikke CSP-fejlen (fik {errors})")


def secretary(b):
    login(b, SECRETARY)
    b.check("koe")
    b.css("div#counts")
    expect("Skal ses på nu" in b.text("section#now h2"), "section#now har ikke overskriften 'Skal ses på nu'")
    b.css("section#now table.queue")
    b.css("section#rest table.queue")
    b.css(f'tr[data-ref="{RECEIPT}"]')

    # The filter form, as a person uses it: only applications are left.
    b.choose("form#filters select[name=slags]", "application")
    b.submit("form#filters button[type=submit]")
    b.check("koe-ansoegninger")
    expect("slags=application" in b.where(), f"filteret gav adressen {b.where()}")
    expect(not b.all(f'tr[data-ref="{RECEIPT}"]'), f"filteret på ansøgninger viser stadig kvitteringen {RECEIPT}")
    b.css(f'tr[data-ref="{APPLICATION}"]')

    b.open("/budget")
    before = budget_figures(b)
    b.check("budget-foer")

    # Opened from the queue's own link.
    b.open("/?slags=application")
    b.check("koe-igen")
    b.css(f'tr[data-ref="{APPLICATION}"]')
    b.submit(f'tr[data-ref="{APPLICATION}"] a.case-link[href="/sag/{APPLICATION}"]')
    expect(b.where() == f"/sag/{APPLICATION}", f"linket i køen åbnede {b.where()}")
    b.check("sag")
    expect(b.text("h1").startswith(APPLICATION), f"h1 er '{b.text('h1')}'")
    for s in ("dl#fields", "section#problems", "section#hints", "section#links", "section#mails",
              "section#attachments", "section#replies", "section#history", "article.mail", "a.eml"):
        b.css(s)
    total = b.text('dd[data-field="budget.total"]')
    expect(total == "21.000,00 kr.", f"budget.total er '{total}', ikke 21.000,00 kr.")
    prefilled = b.css("form#approve input[name=beloeb]").get_attribute("value")
    expect(prefilled == "21.000,00", f"beløbet i form#approve er udfyldt med '{prefilled}', ikke det ansøgte 21.000,00")
    for s in ("form#approve input[name=csrf]", "form#approve input[name=note]", "form#approve input[type=checkbox][name=force]",
              "form#approve input[type=checkbox][name=over]", "form#reject input[name=grund]", "button#reject-submit",
              "form#close input[name=note]", "form#reprocess"):
        b.css(s)
    status_before = status_of(b)

    # Approve with an amount of its own.
    b.fill("form#approve input[name=beloeb]", "20.000,00")
    b.fill("form#approve input[name=note]", "Bevilget i browsertesten")
    b.submit("button#approve-submit")
    b.check("bevilget")
    expect(b.where() == f"/sag/{APPLICATION}", f"bevilling endte på {b.where()}")
    line = flash_ok(b, "bevilling")
    expect("20.000,00" in line, f"bevillingens linje nævner ikke beløbet: {line}")
    status_after = status_of(b)
    expect(status_after != status_before and "bevilget" in status_after.lower(),
           f"status efter bevilling er '{status_after}' (før: '{status_before}')")
    expect(f"Bevilget: {danish(APPROVED)}" in b.text("p.facts"), f"sagen viser ikke 'Bevilget: {danish(APPROVED)}': {b.text('p.facts')}")

    # The flash line is shown once only.
    b.driver.refresh()
    b.check("sag-genindlaest")
    expect(not b.all("div#flash"), "div#flash står der stadig efter genindlæsning")

    # Correct a field.
    b.choose("form#edit select[name=felt]", "goals")
    b.fill("form#edit input[name=vaerdi]", NEW_GOALS)
    b.submit("button#edit-submit")
    b.check("rettet")
    flash_ok(b, "rettelse")
    goals = b.text('dd[data-field="goals"]')
    expect(goals == NEW_GOALS, f"Mål er '{goals}' efter rettelsen")
    source = b.css('dd[data-field="goals"]').find_element("xpath", "preceding-sibling::dt[1]").get_attribute("textContent")
    expect("rettet af" in source, f"Mål's kilde er '{source.strip()}', ikke 'rettet af …'")

    # Move a receipt, reached through the case's own links.
    b.submit(f'section#links a.case-link[href="/sag/{RECEIPT}"]')
    b.check("kvittering")
    expect(b.where() == f"/sag/{RECEIPT}", f"linket åbnede {b.where()}")
    facts = b.text("p.facts")
    expect(f"Hører til: {APPLICATION}" in facts, f"{RECEIPT} hører ikke til {APPLICATION}: {facts}")
    receipt_amount = danish_amount(facts.split("Beløb: ", 1)[1].split(" kr.")[0] + " kr.")
    b.fill("form#link input[name=til]", TARGET)
    b.submit("button#link-submit")
    b.check("flyttet")
    line = flash_ok(b, "flytning")
    expect(TARGET in line, f"flytningens linje nævner ikke {TARGET}: {line}")
    b.css(f'p.facts a.case-link[href="/sag/{TARGET}"]')

    # The budget after: the approval counted in full, the receipt's money moved between the two areas.
    b.submit("a#nav-budget")
    after = budget_figures(b)
    b.check("budget-efter")
    want = {
        "pool": before["pool"], "requested": before["requested"], "granted": before["granted"] + APPROVED,
        "spent": before["spent"], "refunded": before["refunded"], "left": before["left"] - APPROVED,
    }
    for k, v in want.items():
        expect(after[k] == v, f"#{k} er {danish(after[k])} efter bevilling og flytning, ventede {danish(v)} (før: {danish(before[k])})")
    fa, ta = after["areas"], before["areas"]
    expect(fa[FROM_AREA]["granted"] == ta[FROM_AREA]["granted"] + APPROVED, f"{FROM_AREA}s bevilget er {danish(fa[FROM_AREA]['granted'])}")
    expect(fa[FROM_AREA]["spent"] == ta[FROM_AREA]["spent"] - receipt_amount,
           f"{FROM_AREA}s brugt er {danish(fa[FROM_AREA]['spent'])}, ventede {danish(ta[FROM_AREA]['spent'] - receipt_amount)}")
    expect(fa[TO_AREA]["spent"] == ta[TO_AREA]["spent"] + receipt_amount,
           f"{TO_AREA}s brugt er {danish(fa[TO_AREA]['spent'])}, ventede {danish(ta[TO_AREA]['spent'] + receipt_amount)}")

    b.submit("a#nav-drift")
    b.check("drift")
    b.css("section#health")
    logout(b)
    return before, after, receipt_amount


def reader(b):
    login(b, READER)
    b.check("laeser-koe")
    b.css(f'tr[data-ref="{APPLICATION}"]')
    for label in (APPLICATION, RECEIPT):
        b.open(f"/sag/{label}")
        b.check(f"laeser-{label}")
        b.css("dl#fields")
        forms = [f.get_attribute("id") or f.get_attribute("action") for f in b.all("main form")]
        expect(not forms, f"læseren ser handlingsformularer på /sag/{label}: {forms}")
        expect(not b.all("section#actions"), f"læseren ser section#actions på /sag/{label}")
    logout(b)


def make_workspace(binary, root):
    shutil.copytree(REPO / "config", root / "config")
    shutil.copytree(REPO / "mailbox-samples", root / "mailbox-samples")
    config = str(root / "config" / "ssp-intake.json")

    def ssp(*args, stdin=None):
        r = subprocess.run([binary, *args, "--config", config], input=stdin, capture_output=True, text=True, timeout=60)
        if r.returncode != 0:
            raise Failure(f"ssp-intake {' '.join(args)} sluttede med {r.returncode}:\n{r.stdout}{r.stderr}")
        return r.stdout

    ssp("run", "--once")
    ssp("user", "add", SECRETARY[0], "--role", "sekretariat", stdin=SECRETARY[1] + "\n")
    ssp("user", "add", READER[0], "--role", "læser", stdin=READER[1] + "\n")
    return config


def main():
    p = argparse.ArgumentParser(description="Arbejdsbordet i en rigtig headless Chromium")
    p.add_argument("binary", help="den byggede ssp-intake")
    p.add_argument("--screenshots", default=str(REPO / ".build" / "browser-screenshots"),
                   help="hvor skærmbillederne gemmes (standard: .build/browser-screenshots)")
    p.add_argument("--keep", action="store_true", help="behold den midlertidige mappe med data")
    a = p.parse_args()
    binary = os.path.abspath(a.binary)
    if not os.access(binary, os.X_OK):
        say(f"FEJL: {a.binary} er ikke en kørbar ssp-intake")
        return 2
    shots = Path(a.screenshots)
    shots.mkdir(parents=True, exist_ok=True)
    for old in shots.glob("*.png"):
        old.unlink()

    # SIGTERM and SIGINT go through the finally below: the server and Chromium are always stopped.
    def stop(signum, frame):
        raise SystemExit(128 + signum)
    signal.signal(signal.SIGTERM, stop)

    started = time.monotonic()
    root = Path(tempfile.mkdtemp(prefix="ssp-browser."))
    web = browser = None
    try:
        config = make_workspace(binary, root)
        web = WebServer(binary, config)
        browser = Browser(f"http://{web.address}", shots, root / "chromium")
        self_check(browser)
        before, after, moved = secretary(browser)
        reader(browser)
        browser.final_check()
        for n in browser.notes:
            say(f"advarsel i konsollen (ikke en fejl): {n}")
        say(f"bevilget {danish(before['granted'])} → {danish(after['granted'])}, tilbage {danish(before['left'])} → "
            f"{danish(after['left'])}, {danish(moved)} flyttet fra {FROM_AREA} til {TO_AREA}")
        say(f"{browser.count} sider uden konsolfejl og CSP-overtrædelser; skærmbilleder i {shots}")
        say(f"OK på {time.monotonic() - started:.1f} s")
        print("1 passed, 0 failed")
        return 0
    except Failure as e:
        if browser:
            try:
                browser.screenshot("FEJL")
            except Exception:
                pass
        say(f"FEJL: {e}")
        if web:
            say("ssp-intake web skrev:\n  " + "\n  ".join(web.lines[-30:]))
        print("0 passed, 1 failed")
        return 1
    except Exception as e:
        say(f"FEJL: {type(e).__name__}: {e}")
        if web:
            say("ssp-intake web skrev:\n  " + "\n  ".join(web.lines[-30:]))
        print("0 passed, 1 failed")
        return 1
    finally:
        if browser:
            browser.quit()
        if web:
            web.stop()
        if a.keep:
            say(f"data beholdt i {root}")
        else:
            shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
