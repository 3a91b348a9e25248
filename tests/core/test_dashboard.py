"""The dashboard at /__admin/, in a real headless Chromium (Debian's chromium and chromium-driver, driven by
Selenium): requests appear without a reload, filter by vendor, operation and status, expand to their bodies;
fault rules show their hits and go away; a crash of the mock is marked; the reset buttons reset; with an admin token
the page asks for it or takes it from its address. A screenshot is kept (``TASKMOCK_ARTIFACTS``, else the test's
temporary directory).

Without the browser on the machine the test is skipped, unless ``TASKMOCK_REQUIRE_BROWSER`` is set, as CI sets
it: there a missing browser fails."""

from __future__ import annotations

import base64
import dataclasses
import os
import shutil
from pathlib import Path

import httpx
import pytest

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
DRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"
if not (Path(CHROMIUM).exists() and Path(DRIVER).exists()) and not os.environ.get("TASKMOCK_REQUIRE_BROWSER"):
    pytest.skip("Debian's chromium and chromium-driver are not installed", allow_module_level=True)

from selenium import webdriver  # noqa: E402
from selenium.common.exceptions import StaleElementReferenceException  # noqa: E402
from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support.ui import Select, WebDriverWait  # noqa: E402

from mockserver.pytest_plugin import LiveServer  # noqa: E402
from mockserver.settings import Settings  # noqa: E402

KANBOARD = {"Authorization": "Basic " + base64.b64encode(b"jsonrpc:kanboard-app-token").decode()}
TOGGL = {"Authorization": "Bearer toggl_sk_mock_owner_key"}
TASK = "/api/organizations/1001/workspaces/2001/tasks/4001/attachments"


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic",
                 "--no-first-run", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--window-size=1400,1000",
                 f"--user-data-dir={tmp_path_factory.mktemp('chromium')}"):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(DRIVER), options=options)
    yield driver
    driver.quit()


def rows(browser) -> list[str]:
    """The journal rows as the page shows them now (read in one go: the page redraws them each second)."""
    return browser.execute_script(
        "return [...document.querySelectorAll('#journal tr.entry')].map((row) => row.innerText)")


def wait(browser, what, timeout: float = 10):
    """Until ``what(browser)`` is true (the page polls the server each second)."""
    return WebDriverWait(browser, timeout, poll_frequency=0.1,
                         ignored_exceptions=[StaleElementReferenceException]).until(what)


def test_the_dashboard_shows_filters_expands_and_resets(browser, taskmock, tmp_path):
    browser.get(taskmock.url + "/__admin/")
    wait(browser, lambda b: b.find_elements(By.CSS_SELECTOR, "#vendors .vendor[data-vendor=toggl]"))
    toggl_box = browser.find_element(By.CSS_SELECTOR, "#vendors .vendor[data-vendor=toggl]")
    assert f"{taskmock.url}/api" in toggl_box.text
    assert [a.text for a in browser.find_elements(By.CSS_SELECTOR, "#specs a")] == [
        "toggl spec", "projectcor spec", "onlyoffice spec"]

    # requests made elsewhere appear without a reload
    with httpx.Client(base_url=taskmock.url) as client:
        client.post("/jsonrpc.php", headers=KANBOARD, json={"jsonrpc": "2.0", "id": 1, "method": "getTaskFile",
                                                           "params": {"file_id": 99}})
        client.post(TASK, headers=TOGGL, files={"file": ("a.png", b"\x89PNG\r\n\x1a\n\xff\xfe\x00")},
                    data={"display_order": "0"})
        client.get("/api/organizations/1001/workspaces/2001/tasks/4999/attachments", headers=TOGGL)
    wait(browser, lambda b: len(rows(b)) == 3)
    assert "getTaskFile" in rows(browser)[2] and "create-task-attachment" in rows(browser)[1]

    # filters: vendor, operation, status
    Select(browser.find_element(By.ID, "f-vendor")).select_by_value("toggl")
    wait(browser, lambda b: len(rows(b)) == 2)
    browser.find_element(By.ID, "f-status").send_keys("4")
    wait(browser, lambda b: len(rows(b)) == 1 and "404" in rows(b)[0])
    browser.find_element(By.ID, "f-status").clear()
    Select(browser.find_element(By.ID, "f-vendor")).select_by_value("")
    browser.find_element(By.ID, "f-operation").send_keys("gettask")
    wait(browser, lambda b: len(rows(b)) == 1 and "kanboard" in rows(b)[0])

    # expand: the JSON request body pretty-printed; a multipart body shown as its size and type
    browser.find_element(By.CSS_SELECTOR, "#journal tr.entry").click()
    body = wait(browser, lambda b: b.find_element(By.CSS_SELECTOR, "#journal tr.detail .request-body pre"))
    assert '"method": "getTaskFile"' in body.text and "\n" in body.text
    browser.find_element(By.ID, "f-operation").clear()
    wait(browser, lambda b: len(rows(b)) == 3)
    next(row for row in browser.find_elements(By.CSS_SELECTOR, "#journal tr.entry")
         if "create-task-attachment" in row.text).click()
    binary = wait(browser, lambda b: b.find_elements(By.CSS_SELECTOR, "#journal .request-body .body-binary"))
    assert "bytes of multipart/form-data" in binary[0].text

    # a fault rule with its hits, removed from the page
    rule = taskmock.fault(vendor="toggl", status=503)
    with httpx.Client(base_url=taskmock.url) as client:
        assert client.get(TASK, headers=TOGGL).status_code == 503
    wait(browser, lambda b: "hits 1" in b.find_element(By.ID, "faults").text)
    browser.find_element(By.CSS_SELECTOR, f"#faults li[data-rule='{rule.id}'] button.remove-rule").click()
    wait(browser, lambda b: "none" in b.find_element(By.ID, "faults").text)
    assert taskmock.faults() == []

    # a request the mock itself failed on is marked, its traceback one click away
    def broken(*args):
        raise RuntimeError("a bug of the mock")
    taskmock._call(lambda: setattr(taskmock.app.state.runtime.store["toggl"], "used_bytes", broken))
    with httpx.Client(base_url=taskmock.url) as client:
        assert client.get("/api/organizations/1001/workspaces/2001/attachments/storage",
                          headers=TOGGL).status_code == 500
    crashed = wait(browser, lambda b: b.find_elements(By.CSS_SELECTOR, "#journal tr.entry.crash"))
    assert "CRASH" in crashed[0].text
    crashed[0].click()
    trace = wait(browser, lambda b: b.find_element(By.CSS_SELECTOR, "#journal pre.traceback"))
    assert "RuntimeError: a bug of the mock" in trace.text

    Path(os.environ.get("TASKMOCK_ARTIFACTS") or tmp_path).mkdir(parents=True, exist_ok=True)
    shot = Path(os.environ.get("TASKMOCK_ARTIFACTS") or tmp_path) / "dashboard.png"
    browser.save_screenshot(str(shot))
    assert shot.stat().st_size > 10_000

    # reset one vendor: its upload is gone; reset everything: the journal is empty
    assert taskmock.state("toggl")["toggl"]["attachments"]
    browser.find_element(By.CSS_SELECTOR, "button.reset-vendor[data-vendor=toggl]").click()
    wait(browser, lambda b: not taskmock.state("toggl")["toggl"]["attachments"])
    browser.find_element(By.ID, "reset-all").click()
    wait(browser, lambda b: rows(b) == [])
    assert taskmock.requests() == [] and taskmock.crashes() == []


def test_with_an_admin_token_the_dashboard_asks_for_it_or_takes_it_from_its_address(browser):
    live = LiveServer(dataclasses.replace(Settings(host="127.0.0.1", port=0), admin_token="s3cret"))
    try:
        with httpx.Client(base_url=live.url) as client:
            client.get(TASK, headers=TOGGL)
        browser.get(live.url + "/__admin/")
        health = browser.find_element(By.ID, "health")
        wait(browser, lambda b: "--admin-token" in health.text and b.find_element(By.ID, "login").is_displayed())
        assert rows(browser) == []

        token = browser.find_element(By.ID, "token")
        token.send_keys("wrong")
        token.submit()
        wait(browser, lambda b: b.find_element(By.ID, "login").is_displayed() and "--admin-token" in health.text)
        token.send_keys("s3cret")
        token.submit()
        wait(browser, lambda b: len(rows(b)) == 1 and not b.find_element(By.ID, "login").is_displayed())
        assert "list-task-attachments" in rows(browser)[0]
        assert browser.find_elements(By.CSS_SELECTOR, "#vendors .vendor[data-vendor=toggl]")

        # a new tab given the token in its address's fragment; the address bar drops it
        browser.switch_to.new_window("tab")
        browser.get(live.url + "/__admin/#token=s3cret")
        wait(browser, lambda b: len(rows(b)) == 1)
        assert "token" not in browser.current_url
        browser.find_element(By.ID, "reset-all").click()
        wait(browser, lambda b: rows(b) == [])

        # the specs it links to open in the browser, which cannot send the token with a navigation
        browser.find_element(By.CSS_SELECTOR, "#specs a").click()
        wait(browser, lambda b: '"swagger"' in b.find_element(By.TAG_NAME, "body").text)
        browser.close()
        browser.switch_to.window(browser.window_handles[0])
    finally:
        live.stop()
