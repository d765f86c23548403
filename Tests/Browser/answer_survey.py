"""Answers the survey the way a respondent does: from the link, by clicking, on a phone.

usage: answer_survey.py TEAM LEVEL SEED LINK [LINK...]

For each link, in a phone-sized headless Chromium with JavaScript switched off: opens it,
checks the page says what is kept, clicks the team, the level and a score for each
statement (from a random sequence seeded by SEED), presses "Send my answers", checks the
thank-you page, then opens the link again and checks it is no longer open. Prints one JSON
line: how many were answered and the cookies the browser holds at the end (none expected).
Exits non-zero at the first step that is not as expected.
"""

import json
import random
import sys

from selenium.webdriver.common.by import By

from browser import chromium, wait_for_heading


def main():
    team, level, seed, links = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4:]
    scores = random.Random(seed)
    driver = chromium(width=390, height=844, javascript=False)
    answered = 0
    try:
        for link in links:
            driver.get(link)
            wait_for_heading(driver, "Collaboration survey")
            assert "What is kept, and who sees what" in driver.page_source
            driver.find_element(By.CSS_SELECTOR, f"input[name='team'][value='{team}']").click()
            driver.find_element(By.CSS_SELECTOR, f"input[name='level'][value='{level}']").click()
            names = sorted({box.get_attribute("name") for box in driver.find_elements(By.CSS_SELECTOR, "input[name^='s.']")})
            assert len(names) > 0, "no statements on the page"
            for name in names:
                choices = driver.find_elements(By.CSS_SELECTOR, f"input[name='{name}']")
                choice = choices[scores.randrange(len(choices))]
                choice.click()
            driver.find_element(By.XPATH, "//button[normalize-space()='Send my answers']").click()
            wait_for_heading(driver, "Thank you")
            answered += 1
            driver.get(link)
            wait_for_heading(driver, "This survey link is not open")
        print(json.dumps({"answered": answered, "cookies": driver.get_cookies()}))
    finally:
        driver.quit()


if __name__ == "__main__":
    main()
