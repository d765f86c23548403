"""Signs an agreement the way a signatory does: from the invitation link, by clicking.

usage: sign_agreement.py LINK AGREEMENT_TITLE

Opens the link, presses "Sign in", follows "sign 'TITLE'" from My work to the agreement,
presses "Sign", checks the confirmation page repeats the terms hash the agreement page
showed, presses "Sign these terms", and prints one JSON line describing what it saw.
Exits non-zero at the first step that is not as expected.
"""

import json
import sys

from selenium.webdriver.common.by import By

from browser import chromium, wait_for_heading


def main():
    link, title = sys.argv[1], sys.argv[2]
    driver = chromium()
    try:
        driver.get(link)
        driver.find_element(By.XPATH, "//button[normalize-space()='Sign in']").click()
        wait_for_heading(driver, "My work")

        driver.find_element(By.PARTIAL_LINK_TEXT, f"Sign '{title}'").click()
        wait_for_heading(driver, title)
        # The full hash, folded under its short form: read whether or not it is unfolded.
        shown = driver.find_element(By.CSS_SELECTOR, "details.hash p code").get_attribute("textContent")

        driver.find_element(By.PARTIAL_LINK_TEXT, "Sign as ").click()
        wait_for_heading(driver, f"Sign: {title}")
        confirmed = driver.find_element(By.CSS_SELECTOR, ".hash code").text
        hidden = driver.find_element(By.NAME, "terms").get_attribute("value")
        assert shown == confirmed == hidden, (shown, confirmed, hidden)

        driver.find_element(By.XPATH, "//button[starts-with(normalize-space(), 'Sign these terms as ')]").click()
        wait_for_heading(driver, title)
        signatures = [item.text for item in driver.find_elements(By.CSS_SELECTOR, "ul.items li")]
        done = [item.text for item in driver.find_elements(By.CSS_SELECTOR, "p.done")]
        print(json.dumps({"url": driver.current_url, "terms": shown, "signatures": signatures, "done": done}))
    finally:
        driver.quit()


if __name__ == "__main__":
    main()
