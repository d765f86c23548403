"""Acknowledges an agreement the way each person on a client's roster does: from their own
invitation link, by clicking.

usage: acknowledge_agreement.py AGREEMENT_TITLE LINK [LINK ...]

For each link, in a fresh session: opens it, presses "Sign in", follows "Acknowledge 'TITLE'"
from My work to the agreement, checks the form carries the terms hash the page shows,
presses "I agree", waits for the page to say it was done, and signs out. Prints one JSON
line: for each link, what the page said afterwards. Exits non-zero at the first step that is
not as expected.
"""

import json
import sys

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from browser import chromium, wait_for_heading


def acknowledge(driver, link, title):
    driver.get(link)
    driver.find_element(By.XPATH, "//button[normalize-space()='Sign in']").click()
    wait_for_heading(driver, "My work")
    person = driver.find_element(By.CSS_SELECTOR, "header .who").text

    driver.find_element(By.PARTIAL_LINK_TEXT, f"Acknowledge '{title}'").click()
    wait_for_heading(driver, title)
    shown = driver.find_element(By.CSS_SELECTOR, "details.hash p code").get_attribute("textContent")
    form = driver.find_element(By.CSS_SELECTOR, "form.acknowledge")
    hidden = form.find_element(By.NAME, "terms").get_attribute("value")
    assert shown == hidden, (shown, hidden)
    assert not driver.find_elements(By.CSS_SELECTOR, "ul.yet-to-acknowledge"), "names shown to " + person

    form.find_element(By.XPATH, ".//button[normalize-space()='I agree']").click()
    # The page after is the same agreement's: wait for the redirect's mark, not the heading.
    WebDriverWait(driver, 10).until(lambda d: "?done=" in d.current_url)
    wait_for_heading(driver, title)
    seen = {
        "person": person,
        "url": driver.current_url,
        "terms": shown,
        "done": [item.text for item in driver.find_elements(By.CSS_SELECTOR, "p.done")],
        "progress": [item.text for item in driver.find_elements(By.CSS_SELECTOR, "ul.progress li")],
        "form": len(driver.find_elements(By.CSS_SELECTOR, "form.acknowledge")),
    }
    driver.find_element(By.XPATH, "//button[normalize-space()='Sign out']").click()
    wait_for_heading(driver, "You are signed out")
    return seen


def main():
    title, links = sys.argv[1], sys.argv[2:]
    driver = chromium()
    try:
        print(json.dumps([acknowledge(driver, link, title) for link in links]))
    finally:
        driver.quit()


if __name__ == "__main__":
    main()
