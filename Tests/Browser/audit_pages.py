"""Audits pages in a real browser: at a phone's width and a desk's, does any page overflow
sideways, and what does axe-core find that is serious or critical?

usage: audit_pages.py PLAN.json

PLAN names who signs in and what each of them looks at:

    {"people": [{"name": "sid", "link": "http://.../sign-in/...",
                 "pages": [{"name": "client", "path": "/clients/acme"}, ...],
                 "sign": "/clients/acme"}],
     "anonymous": [{"name": "survey", "url": "http://.../survey/..."}]}

For each person: audits the sign-in page their link opens (opening it does not use it up),
presses "Sign in", then audits each of their pages. A page may say `"submit": {"fields":
{"role": "consultant", "person": "dave"}, "button": "Assign"}`: the form holding that button
is filled in and sent from the page at `path`, and the page it answers with is audited (as
the confirmation of a hand-over is reached). With `sign`, the page at that path is opened at
390x844 and the first Sign control in its main part (a link or button whose words begin with
"Sign", but not "Sign out") is measured: is its top inside the first screen? Anonymous pages
are opened with no session.

Every page is audited at 390x844 and 1280x900 (the device metrics Chromium is told, with its
scrollbars hidden as a phone's are). The pages run no script of their own (their
Content-Security-Policy allows none); JavaScript is on only so that axe-core, which
axe-selenium-python bundles, can be injected.

Prints one JSON object: axe-core's version, then per page and width: the address, the h1,
how many <script> elements it has, whether it overflows (document.documentElement.scrollWidth
> window.innerWidth) and the outermost elements that stick out past the right edge (tag,
class, text, right edge), and axe-core's serious and critical violations (id, impact, help,
each node's target and markup); then each Sign control measured. Findings are data, for the
caller to judge: the script exits non-zero only when it could not do what the plan asks.
"""

import json
import sys

from axe_selenium_python import Axe
from selenium.common.exceptions import NoSuchElementException
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from browser import chromium, wait_for_heading

SIZES = [(390, 844), (1280, 900)]
SERIOUS = {"serious", "critical"}

# The outermost visible elements whose right edge passes the window's, leaving out those a
# scrolling or clipping box of their own keeps inside it.
STICKING_OUT = """
const limit = document.documentElement.clientWidth;
function kept(element) {
  for (let box = element.parentElement; box && box !== document.documentElement; box = box.parentElement) {
    if (getComputedStyle(box).overflowX !== 'visible') {
      return box.getBoundingClientRect().right + window.scrollX <= limit + 0.5;
    }
  }
  return false;
}
const out = [];
for (const element of document.body.querySelectorAll('*')) {
  const rect = element.getBoundingClientRect();
  if (rect.width === 0 && rect.height === 0) continue;
  if (rect.right + window.scrollX > limit + 0.5 && !kept(element)) out.push(element);
}
return out.filter(element => !out.includes(element.parentElement)).slice(0, 20).map(element => ({
  tag: element.tagName.toLowerCase(),
  class: element.getAttribute('class') || '',
  text: (element.innerText || element.textContent || '').replace(/\\s+/g, ' ').trim().slice(0, 80),
  right: Math.round(element.getBoundingClientRect().right + window.scrollX),
}));
"""

MEASURE = """
return {
  scrollWidth: document.documentElement.scrollWidth,
  innerWidth: window.innerWidth,
  innerHeight: window.innerHeight,
  scripts: document.scripts.length,
  title: document.title,
  heading: (document.querySelector('h1') || {}).textContent || '',
};
"""

# The first control in the main part whose words begin with "Sign" (Sign, Sign as sponsor,
# Sign these terms), never the header's Sign out.
FIRST_SIGN = """
const main = document.querySelector('main') || document.body;
for (const control of main.querySelectorAll('a, button, input[type=submit]')) {
  const words = (control.innerText || control.value || '').replace(/\\s+/g, ' ').trim();
  if (/^Sign\\b/.test(words) && !/^Sign out\\b/i.test(words)) {
    const rect = control.getBoundingClientRect();
    return {text: words, top: Math.round(rect.top), bottom: Math.round(rect.bottom)};
  }
}
return null;
"""


def size(driver, width, height):
    driver.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False},
    )


def audit(driver, name, person, open_page):
    """The page `open_page` opens, audited at each size."""
    found = []
    for width, height in SIZES:
        size(driver, width, height)
        open_page()
        measured = driver.execute_script(MEASURE)
        axe = Axe(driver)
        axe.inject()
        results = axe.run(options='{"resultTypes": ["violations"]}')
        violations = [
            {
                "id": violation["id"],
                "impact": violation["impact"],
                "help": violation["help"],
                "nodes": [
                    {"target": node["target"], "html": node["html"][:200]} for node in violation["nodes"][:10]
                ],
            }
            for violation in results["violations"]
            if violation.get("impact") in SERIOUS
        ]
        found.append(
            {
                "name": name,
                "person": person,
                "url": driver.current_url,
                "width": width,
                "height": height,
                "title": measured["title"],
                "heading": measured["heading"].strip(),
                "scripts": measured["scripts"],
                "overflow": measured["scrollWidth"] > measured["innerWidth"],
                "scrollWidth": measured["scrollWidth"],
                "innerWidth": measured["innerWidth"],
                "stickingOut": driver.execute_script(STICKING_OUT),
                "violations": violations,
            }
        )
    return found


def submit(driver, base, page):
    """Opens `page`'s path and sends the form holding its button, filled in as it says."""
    driver.get(base + page["path"])
    button = driver.find_element(
        By.XPATH, f"//form//button[normalize-space()={json.dumps(page['submit']['button'])}]"
    )
    form = button.find_element(By.XPATH, "ancestor::form[1]")
    for field, value in page["submit"].get("fields", {}).items():
        element = form.find_element(By.NAME, field)
        if element.tag_name == "select":
            Select(element).select_by_value(value)
        else:
            element.clear()
            element.send_keys(value)
    button.click()
    if "heading" in page:
        wait_for_heading(driver, page["heading"])


def opener(driver, base, page):
    if "submit" in page:
        return lambda: submit(driver, base, page)
    address = page.get("url") or base + page["path"]

    def open_page():
        driver.get(address)
        if "heading" in page:
            wait_for_heading(driver, page["heading"])

    return open_page


def sign_control(driver, base, person, path):
    width, height = SIZES[0]
    size(driver, width, height)
    driver.get(base + path)
    control = driver.execute_script(FIRST_SIGN)
    inner = driver.execute_script("return window.innerHeight")
    return {
        "person": person,
        "path": path,
        "width": width,
        "innerHeight": inner,
        "found": control is not None,
        "text": control["text"] if control else None,
        "top": control["top"] if control else None,
        "inFirstScreen": control is not None and control["top"] < inner,
    }


def main():
    with open(sys.argv[1], encoding="utf-8") as file:
        plan = json.load(file)
    pages, signs, version = [], [], None
    for person in plan.get("people", []):
        driver = chromium()
        # As a phone's: drawn over the page, so the window's whole width is the page's.
        driver.execute_cdp_cmd("Emulation.setScrollbarsHidden", {"hidden": True})
        try:
            link = person["link"]
            base = link.split("/sign-in/")[0]
            pages += audit(driver, "sign-in", person["name"], lambda: driver.get(link))
            version = version or driver.execute_script("return axe.version")
            driver.get(link)
            driver.find_element(By.XPATH, "//button[normalize-space()='Sign in']").click()
            wait_for_heading(driver, "My work")
            for page in person.get("pages", []):
                pages += audit(driver, page["name"], person["name"], opener(driver, base, page))
            if person.get("sign"):
                signs.append(sign_control(driver, base, person["name"], person["sign"]))
        finally:
            driver.quit()
    if plan.get("anonymous"):
        driver = chromium()
        driver.execute_cdp_cmd("Emulation.setScrollbarsHidden", {"hidden": True})
        try:
            for page in plan["anonymous"]:
                pages += audit(driver, page["name"], None, opener(driver, "", page))
                version = version or driver.execute_script("return axe.version")
        finally:
            driver.quit()
    print(json.dumps({"axe": version, "pages": pages, "sign": signs}))


if __name__ == "__main__":
    try:
        main()
    except NoSuchElementException as error:
        raise SystemExit(f"audit_pages: {error.msg}") from error
