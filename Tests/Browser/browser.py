"""Headless Chromium through Selenium, as the browser tests and scripts/screenshots use it."""

import shutil

from selenium import webdriver
from selenium.common.exceptions import WebDriverException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait


def chromium(width=1100, height=900, javascript=True):
    """A headless Chromium window of the given size, driven by chromium-driver; with
    `javascript` False, pages run no script (as a page that must work without it)."""
    options = webdriver.ChromeOptions()
    if not javascript:
        options.add_experimental_option("prefs", {"profile.managed_default_content_settings.javascript": 2})
    for argument in (
        "--headless=new",
        "--no-sandbox",  # the tests may run as root in a container
        "--disable-dev-shm-usage",
        "--disable-gpu",
        f"--window-size={width},{height}",
    ):
        options.add_argument(argument)
    binary = shutil.which("chromium") or shutil.which("chromium-browser")
    if binary:
        options.binary_location = binary
    driver = shutil.which("chromedriver")
    if driver is None:
        raise SystemExit("chromedriver is missing: install chromium-driver (scripts/test does)")
    return webdriver.Chrome(service=Service(driver), options=options)


def wait_for_heading(driver, text, seconds=10):
    """Waits until the page's h1 reads `text` (a click's page has loaded); fails otherwise."""

    def reads(d):
        # While the next page replaces this one, its h1 may be gone or detached (Chromium says
        # "stale element", "no such element", or "node ... does not belong to the document"):
        # not yet, rather than a failure.
        try:
            return d.find_element(By.TAG_NAME, "h1").text == text
        except WebDriverException:
            return False

    try:
        WebDriverWait(driver, seconds).until(reads)
    except Exception as error:
        raise AssertionError(f"no page headed {text!r}: {driver.current_url}\n{driver.page_source}") from error
