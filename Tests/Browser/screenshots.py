"""Saves PNGs of the main pages, at a desk width and a phone's.

usage: screenshots.py FOLDER SPONSOR_LINK SPONSOR_LINK_2 FIRM_LINK FIRM_LINK_2 [STAFF_LINK STAFF_LINK_2]

Two links for each person: one for each window width (a link signs in once). The sponsor's
are for acme's signatory, the firm's for its consultant; the staff member's, when given, for
someone on globex's roster, who sees its agreement with the acknowledgement form.
"""

import base64
import sys

from selenium.webdriver.common.by import By

from browser import chromium, wait_for_heading

WIDTHS = {"desk": 1280, "phone": 390}


def metrics(driver, width, height):
    driver.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": width < 600},
    )


def shoot(driver, folder, name, width):
    # The whole page, up to 4000px: a viewport exactly `width` wide and as tall as the document.
    metrics(driver, width, 700)
    height = driver.execute_script("return document.documentElement.scrollHeight")
    metrics(driver, width, min(max(height, 700), 4000))
    shot = driver.execute_cdp_cmd("Page.captureScreenshot", {"format": "png"})["data"]
    with open(f"{folder}/{name}-{'phone' if width < 600 else 'desk'}.png", "wb") as file:
        file.write(base64.b64decode(shot))


def sign_in(driver, link):
    driver.get(link)
    driver.find_element(By.XPATH, "//button[normalize-space()='Sign in']").click()
    wait_for_heading(driver, "My work")


def main():
    folder, sponsor, sponsor2, firm, firm2 = sys.argv[1:6]
    staff = sys.argv[6:8] if len(sys.argv) >= 8 else [None, None]
    for (width, sponsor_link, firm_link, staff_link) in [
        (WIDTHS["desk"], sponsor, firm, staff[0]),
        (WIDTHS["phone"], sponsor2, firm2, staff[1]),
    ]:
        driver = chromium(width=width)
        try:
            driver.get(sponsor_link)
            shoot(driver, folder, "sign-in", width)
            driver.find_element(By.XPATH, "//button[normalize-space()='Sign in']").click()
            wait_for_heading(driver, "My work")
            base = driver.current_url.rstrip("/")
            shoot(driver, folder, "my-work", width)
            driver.get(base + "/clients/acme")
            shoot(driver, folder, "client", width)
            # The client report, as it prints: one page, charts with their tables.
            driver.get(base + "/clients/acme/report")
            shoot(driver, folder, "report", width)
            driver.get(base + "/clients/acme/benchmark")
            shoot(driver, folder, "benchmark", width)
            driver.get(base + "/clients/acme/agreements/collaboration-charter")
            shoot(driver, folder, "agreement", width)
            driver.get(base + "/clients/acme/agreements/collaboration-charter/sign")
            shoot(driver, folder, "sign", width)
            driver.delete_all_cookies()
            sign_in(driver, firm_link)
            driver.get(base + "/portfolio")
            shoot(driver, folder, "portfolio", width)
            driver.get(base + "/clients/acme")
            shoot(driver, folder, "client-consultant", width)
            if staff_link:
                driver.delete_all_cookies()
                sign_in(driver, staff_link)
                driver.get(base + "/clients/globex/agreements/lead-sla")
                shoot(driver, folder, "agreement-acknowledgements", width)
        finally:
            driver.quit()


if __name__ == "__main__":
    main()
