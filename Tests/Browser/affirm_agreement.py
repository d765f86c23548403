"""Affirms an agreement the way a role's new holder does: from their invitation link, by
clicking.

usage: affirm_agreement.py LINK AGREEMENT_TITLE ROLE

Opens the link, presses "Sign in", follows "affirm 'TITLE' as ROLE" from My work to the
agreement, checks the page says a predecessor signed it, presses "Affirm as ROLE", and
prints one JSON line describing the page after. Exits non-zero at the first step that is
not as expected.
"""

import json
import sys

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from browser import chromium, wait_for_heading


def main():
    link, title, role = sys.argv[1], sys.argv[2], sys.argv[3]
    driver = chromium()
    try:
        driver.get(link)
        driver.find_element(By.XPATH, "//button[normalize-space()='Sign in']").click()
        wait_for_heading(driver, "My work")
        driver.find_element(By.PARTIAL_LINK_TEXT, f"Affirm '{title}' as {role}").click()
        wait_for_heading(driver, title)
        before = [item.text for item in driver.find_elements(By.CSS_SELECTOR, ".standing")]
        driver.find_element(By.XPATH, f"//button[normalize-space()='Affirm as {role}']").click()
        WebDriverWait(driver, 10).until(lambda d: "?done=" in d.current_url)
        wait_for_heading(driver, title)
        print(json.dumps({
            "url": driver.current_url,
            "before": before,
            "after": [item.text for item in driver.find_elements(By.CSS_SELECTOR, ".standing")],
            "done": [item.text for item in driver.find_elements(By.CSS_SELECTOR, "p.done")],
            "buttons": len(driver.find_elements(By.CSS_SELECTOR, "form.affirm")),
        }))
    finally:
        driver.quit()


if __name__ == "__main__":
    main()
