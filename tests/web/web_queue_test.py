"""WEB-UI.md's /tickets queue in a real browser: each filter, the exact
total, paging both ways, filters kept in the URL, overdue due dates in red,
the SLA time-left column, 📎N; and keyboard-only work on the queue and a
ticket page (focus visible, every control reachable by Tab).

Usage: web_queue_test.py TICKETD_BINARY SCREENSHOT_DIR [unittest args]"""
import os
import re
import sys
import tempfile
import unittest

from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import Select

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402
from harness import api, browser, control, open_page, sign_in, text_of, wait  # noqa: E402

BINARY = SHOTS = None
server = tenant = driver = None
PRIORITIES = ["low", "medium", "high", "urgent"]


def setUpModule():
    global server, tenant, driver
    os.makedirs(SHOTS, exist_ok=True)
    server = harness.Server(BINARY)
    tenant = harness.Tenant(server.base)
    # 31 tickets: 7 urgent (of which the first is overdue), some assigned to the agent.
    for i in range(31):
        t = api(server.base, "POST", "/api/v1/tickets",
                {"subject": f"Queue sample {i:02d}", "description": "seeded", "priority": PRIORITIES[i % 4],
                 "category": "Network" if i % 5 == 0 else "Software"}, tenant.token("reporter"), 201)
        if i == 3:
            api(server.base, "PATCH", f"/api/v1/tickets/{t['id']}", {"due_at": "2020-01-01T09:00:00Z"}, tenant.token("agent"), 200)
        if i % 10 == 1:
            api(server.base, "POST", f"/api/v1/tickets/{t['id']}/claim", None, tenant.token("agent"), 200)
    driver = browser()  # one Chromium for the module
    sign_in(driver, server.base, tenant, "agent", "/tickets")


def tearDownModule():
    if driver:
        driver.quit()
    if server:
        server.stop()


def listed(query):
    return api(server.base, "GET", f"/api/v1/tickets?{query}", token=tenant.token("agent"))


def rows(d):
    return d.find_elements(By.CSS_SELECTOR, "table.queue tbody tr[data-number]")


def total_text(d):
    return d.find_element(By.CSS_SELECTOR, ".page-head .total").text


def cell(d, number, column):
    row = d.find_element(By.CSS_SELECTOR, f"tr[data-number='{number}']")
    return row.find_element(By.CSS_SELECTOR, f"td[data-label='{column}']")


class QueueWork(unittest.TestCase):
    def setUp(self):
        open_page(driver, server.base, "/tickets")
        wait(driver, lambda d: len(rows(d)) > 0, "the queue is empty")

    def test_exact_total_and_paging_both_ways(self):
        total = listed("page_size=1")["total"]
        wait(driver, lambda d: total_text(d) == f"{total} tickets")
        self.assertEqual(len(rows(driver)), 25)
        first_page = [r.get_attribute("data-number") for r in rows(driver)]
        self.assertIn(f"1–25 of {total}", driver.find_element(By.CSS_SELECTOR, "nav.pager").text)
        self.assertFalse(control(driver, "Previous page").is_enabled())
        control(driver, "Next page").click()
        wait(driver, lambda d: f"26–{total} of {total}" in d.find_element(By.CSS_SELECTOR, "nav.pager").text)
        second_page = [r.get_attribute("data-number") for r in rows(driver)]
        self.assertEqual(len(second_page), total - 25)
        self.assertEqual(set(first_page) & set(second_page), set())
        self.assertFalse(control(driver, "Next page").is_enabled())
        control(driver, "Previous page").click()
        wait(driver, lambda d: [r.get_attribute("data-number") for r in rows(d)] == first_page, "Previous did not go back")

    def test_each_filter_narrows_to_the_api_total_and_stays_in_the_url(self):
        agent_id = tenant.users["agent"]["id"]
        group_id = api(server.base, "GET", "/api/v1/groups", token=tenant.token("agent"))["items"][0]["id"]
        for name, value, query in [("Priority", "urgent", "priority=urgent"), ("Status", "in_progress", "status=in_progress"),
                                   ("Category", "Network", "category=Network"), ("Assignee", agent_id, f"assignee_id={agent_id}"),
                                   ("Assignee", "none", "assignee_id=none"), ("Group", group_id, f"group_id={group_id}")]:
            expected = listed(f"{query}&page_size=200")
            Select(control(driver, name)).select_by_value(value)
            wait(driver, lambda d: total_text(d) == f"{expected['total']} {'ticket' if expected['total'] == 1 else 'tickets'}",
                 f"{name}={value}: the total is not {expected['total']}")
            wait(driver, lambda d: {r.get_attribute("data-number") for r in rows(d)} == {t["number"] for t in expected["items"][:25]},
                 f"{name}={value}: other rows than the API's")
            self.assertIn(query.split("=")[0] + "=", driver.current_url)
            Select(control(driver, name)).select_by_value("")
        Select(control(driver, "Priority")).select_by_value("urgent")
        control(driver, "Search").send_keys("sample 03")
        wait(driver, lambda d: total_text(d) == "1 ticket", "search and filter together")
        driver.refresh()  # a reload (or a shared link) keeps them
        wait(driver, lambda d: d.execute_script("return document.body.dataset.ready") == "/tickets" and total_text(d) == "1 ticket")
        self.assertEqual(Select(control(driver, "Priority")).first_selected_option.get_attribute("value"), "urgent")
        self.assertEqual(control(driver, "Search").get_attribute("value"), "sample 03")

    def test_overdue_due_date_is_red_and_said(self):
        overdue = listed("q=sample+03")["items"][0]["number"]
        Select(control(driver, "Priority")).select_by_value("urgent")
        wait(driver, lambda d: d.find_elements(By.CSS_SELECTOR, f"tr[data-number='{overdue}']"))
        due = cell(driver, overdue, "Due date")
        self.assertIn("overdue", due.get_attribute("class"))
        self.assertIn("(overdue)", due.get_attribute("textContent"))
        r, g, b = [int(x) for x in due.value_of_css_property("color").split("(")[1].split(")")[0].split(",")[:3]]
        self.assertTrue(r > 150 and g < 80 and b < 80, f"overdue colour is not red: {r},{g},{b}")
        other = next(t["number"] for t in listed("priority=urgent")["items"] if t["number"] != overdue)
        self.assertNotIn("overdue", cell(driver, other, "Due date").get_attribute("class"))

    def test_sla_time_left_and_breached(self):
        api(server.base, "POST", "/api/v1/sla-policies",
            {"name": "Fast", "order": 1, "applies_to": {"type": ["service_request"]}, "first_response": "PT1S", "resolution": "PT1H",
             "calendar": "24x7"}, tenant.token("admin"), 201)
        api(server.base, "POST", "/api/v1/sla-policies",
            {"name": "Normal", "order": 2, "applies_to": {}, "first_response": "PT4H", "resolution": "P2D", "calendar": "24x7"},
            tenant.token("admin"), 201)
        slow = api(server.base, "POST", "/api/v1/tickets", {"subject": "SLA running", "description": "x", "priority": "urgent"},
                   tenant.token("reporter"), 201)
        fast = api(server.base, "POST", "/api/v1/tickets", {"subject": "SLA missed", "description": "x", "priority": "urgent",
                                                             "type": "service_request"}, tenant.token("reporter"), 201)
        Select(control(driver, "Priority")).select_by_value("urgent")
        wait(driver, lambda d: re.match(r"^(3h 5\d|4h 0)m left$", cell(d, slow["number"], "SLA").text),
             "no time left (about 4 h) shown for a running SLA")
        wait(driver, lambda d: "breached" in cell(d, fast["number"], "SLA").text, "the breach does not show", timeout=15)
        self.assertIn("first response", cell(driver, fast["number"], "SLA").text)
        self.assertIn("overdue", cell(driver, fast["number"], "SLA").get_attribute("class"))
        driver.save_screenshot(os.path.join(SHOTS, "queue-sla.png"))

        # The SLA breached filter and the SLA-due sort, against the API's own answers.
        for value, query in [("true", "sla_breached=true"), ("false", "sla_breached=false")]:
            expected = listed(f"priority=urgent&{query}&page_size=200")
            Select(control(driver, "SLA breached")).select_by_value(value)
            wait(driver, lambda d: {r.get_attribute("data-number") for r in rows(d)} == {t["number"] for t in expected["items"]},
                 f"SLA breached={value}: other rows than the API's")
            self.assertIn(f"sla_breached={value}", driver.current_url)
            self.assertIn((fast if value == "true" else slow)["number"], [t["number"] for t in expected["items"]])
        Select(control(driver, "SLA breached")).select_by_value("")
        Select(control(driver, "Sort")).select_by_value("sla_due")
        expected = [t["number"] for t in listed("priority=urgent&sort=sla_due&page_size=25")["items"]]
        wait(driver, lambda d: [r.get_attribute("data-number") for r in rows(d)] == expected, "the rows are not in SLA-due order")
        self.assertEqual(expected[0], fast["number"], "the breached ticket is not first by SLA due")


def press(*keys):
    """Keys to the focused element, as a person types them (an element's
    send_keys would click it first, which opens a select's popup)."""
    ActionChains(driver).send_keys(*keys).perform()


class Keyboard(unittest.TestCase):
    def tab_until(self, predicate, limit=80):
        """Presses Tab until the focused element satisfies predicate; returns it."""
        for _ in range(limit):
            press(Keys.TAB)
            el = driver.switch_to.active_element
            if predicate(el):
                return el
        self.fail("not reachable by Tab")

    def test_queue_by_keyboard_alone(self):
        open_page(driver, server.base, "/tickets")
        driver.find_element(By.TAG_NAME, "body").click()
        priority = self.tab_until(lambda e: e.accessible_name == "Priority")
        self.assertNotEqual(priority.value_of_css_property("outline-style"), "none", "focus is not visible")
        expected = listed("priority=urgent")["total"]
        for _ in range(4):  # Any -> urgent is the next option down
            if Select(priority).first_selected_option.get_attribute("value") == "urgent":
                break
            press(Keys.ARROW_DOWN)
        wait(driver, lambda d: total_text(d).startswith(f"{expected} "), "the filter did not apply by keyboard")
        number = self.tab_until(lambda e: e.tag_name == "a" and e.text.startswith("ACME-")).text
        press(Keys.ENTER)
        wait(driver, lambda d: d.execute_script("return document.body.dataset.ready") == f"/tickets/{number}")
        ticket = api(server.base, "GET", f"/api/v1/tickets/by-number/{number}", token=tenant.token("agent"))
        if ticket["assignee_id"] != tenant.users["agent"]["id"]:
            self.tab_until(lambda e: e.text == "Claim")
            press(Keys.ENTER)
            wait(driver, lambda _: api(server.base, "GET", f"/api/v1/tickets/{ticket['id']}", token=tenant.token("agent"))["assignee_id"]
                 == tenant.users["agent"]["id"], "Claim by Enter did not work")
        self.tab_until(lambda e: e.accessible_name == "Status")
        before = api(server.base, "GET", f"/api/v1/tickets/{ticket['id']}", token=tenant.token("agent"))["status"]
        press(Keys.ARROW_DOWN)
        wait(driver, lambda _: api(server.base, "GET", f"/api/v1/tickets/{ticket['id']}", token=tenant.token("agent"))["status"] != before,
             "a status picked by keyboard did not take effect")
        self.tab_until(lambda e: e.accessible_name == "Comment")
        press("Typed without a mouse")
        self.tab_until(lambda e: e.accessible_name == "Internal note")
        press(Keys.SPACE)
        self.tab_until(lambda e: e.text == "Add comment")
        press(Keys.ENTER)
        wait(driver, lambda d: "Typed without a mouse" in text_of(d))
        notes = api(server.base, "GET", f"/api/v1/tickets/{ticket['id']}/comments", token=tenant.token("agent"))["items"]
        self.assertTrue(any(c["body"] == "Typed without a mouse" and c["internal"] for c in notes))

    def test_skip_link_leads_to_the_content(self):
        open_page(driver, server.base, "/tickets")  # a fresh load: Tab starts at the top
        self.tab_until(lambda e: e.text == "Skip to content", 3)
        press(Keys.ENTER)
        wait(driver, lambda d: d.switch_to.active_element.get_attribute("id") == "main")


if __name__ == "__main__":
    BINARY, SHOTS = sys.argv[1], sys.argv[2]
    unittest.main(argv=[sys.argv[0]] + sys.argv[3:], verbosity=2)
