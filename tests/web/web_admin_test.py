"""WEB-UI.md's /admin in a real browser: every section over an API that
exists (users and roles with password resets, catalog with teams and
assignment, SLA policies created and edited, ticket lifecycle, feature flags
with email templates, API keys with expiry and usage, attachment storage),
and the sign-in page's reset-code form.

Usage: web_admin_test.py TICKETD_BINARY SCREENSHOT_DIR [unittest args]"""
import os
import re
import sys
import unittest

from selenium.webdriver.common.by import By
from selenium.webdriver.support.expected_conditions import staleness_of
from selenium.webdriver.support.ui import Select

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402
from harness import api, browser, control, open_page, sign_in, text_of, wait  # noqa: E402

BINARY = SHOTS = None
server = tenant = driver = None


def setUpModule():
    global server, tenant, driver
    os.makedirs(SHOTS, exist_ok=True)
    server = harness.Server(BINARY)
    tenant = harness.Tenant(server.base)
    driver = browser()  # one Chromium for the whole class: each test starts from /admin
    sign_in(driver, server.base, tenant, "admin", "/tickets")


def tearDownModule():
    if driver:
        driver.quit()
    if server:
        server.stop()


def admin_get(path):
    return api(server.base, "GET", path, token=tenant.token("admin"))


def eventually(test, read, message):
    """Polls an API read until it is truthy (the page's change took effect)."""
    return wait(driver, lambda _: read(), message)


def section(name):
    return driver.find_element(By.CSS_SELECTOR, f"section#{name}")


def redrawn(element, message):
    """Waits until a section has drawn itself anew (the old element is gone)."""
    wait(driver, staleness_of(element), message)


class AdminSections(unittest.TestCase):
    def setUp(self):
        open_page(driver, server.base, "/admin")

    def test_every_section_over_an_existing_api_is_there(self):
        titles = [e.text for e in driver.find_elements(By.CSS_SELECTOR, "main section.card h2")]
        for title in ["Users and roles", "Permission groups", "Catalog", "SLA policies", "Ticket lifecycle",
                      "Feature flags", "Email templates", "API keys", "Notifications"]:
            self.assertIn(title, titles)
        storage = harness.request(server.base, "GET", "/api/v1/admin/storage", token=tenant.token("admin"))
        self.assertEqual("Attachment storage" in titles, storage.status == 200, "storage section and API disagree")
        self.assertEqual(driver.find_elements(By.CSS_SELECTOR, "main .error"), [])

    def test_add_a_user_reset_the_password_and_use_the_code_on_the_sign_in_page(self):
        control(driver, "Name").send_keys("Nina New")
        control(driver, "Email").send_keys("nina@acme.test")
        Select(control(driver, "Role")).select_by_value("agent")
        control(driver, "Add user").click()
        wait(driver, lambda d: "Personal API token of Nina New" in text_of(d), "no token shown for the new user")
        nina = next(u for u in admin_get("/api/v1/users")["items"] if u["email"] == "nina@acme.test")
        self.assertEqual(nina["role"], "agent")
        control(driver, "Reset password of Nina New").click()
        code = wait(driver, lambda d: [e.text for e in d.find_elements(By.CSS_SELECTOR, "#users-and-roles .secret") if e.text.startswith("tkp_")],
                    "no reset code shown")[0]
        Select(control(driver, "Role of Nina New")).select_by_value("manager")
        eventually(self, lambda: next(u for u in admin_get("/api/v1/users")["items"] if u["id"] == nina["id"])["role"] == "manager",
                   "the role change did not take effect")

        open_page(driver, server.base, "/login")
        driver.find_element(By.XPATH, "//summary[normalize-space()='Set a new password with a reset code']").click()
        control(driver, "Reset code").send_keys(code)
        control(driver, "New password").send_keys("a brand new passphrase")
        control(driver, "Set new password").click()
        wait(driver, lambda d: "new password is set" in text_of(d), "the reset was not confirmed")
        login = harness.request(server.base, "POST", "/api/v1/auth/login",
                                {"tenant": tenant.slug, "email": "nina@acme.test", "password": "a brand new passphrase"})
        self.assertEqual(login.status, 200)
        control(driver, "Reset code").send_keys(code)  # single use
        control(driver, "New password").send_keys("another passphrase!")
        control(driver, "Set new password").click()
        wait(driver, lambda d: "spent, expired or unknown" in text_of(d), "a spent code was not refused")

    def test_catalog_team_and_assignment(self):
        control(driver, "New category in IT").send_keys("Printers")
        control(driver, "New category in IT").submit()
        wait(driver, lambda d: "Printers" in section("catalog").text)
        Select(control(driver, "Assignment of IT")).select_by_value("round_robin")
        wait(driver, lambda d: Select(control(d, "Assignment of IT")).first_selected_option.get_attribute("value") == "round_robin")
        Select(control(driver, "Add to the team of IT")).select_by_visible_text("Alex Agent")
        control(driver, "Remove Alex Agent from the team of IT")
        it = admin_get("/api/v1/groups")["items"][0]
        self.assertEqual(it["assignment"], "round_robin")
        self.assertEqual(it["team_ids"], [tenant.users["agent"]["id"]])
        self.assertIn("Printers", [c["name"] for c in it["categories"]])
        ticket = api(server.base, "POST", "/api/v1/tickets", {"subject": "Assigned by round robin", "description": "x", "group_id": it["id"]},
                     tenant.token("reporter"), 201)
        self.assertEqual(ticket["assignee_id"], tenant.users["agent"]["id"])
        control(driver, "Remove Alex Agent from the team of IT").click()
        # The section redraws after the removal: retried until the select picked is the new one.
        wait(driver, lambda d: Select(control(d, "Assignment of IT")).select_by_value("manual") or True)
        eventually(self, lambda: admin_get("/api/v1/groups")["items"][0]["team_ids"] == [], "the team member was not removed")
        eventually(self, lambda: admin_get("/api/v1/groups")["items"][0]["assignment"] == "manual", "assignment not back to manual")

    def test_sla_policy_created_then_edited(self):
        control(driver, "Policy name").send_keys("Urgent within the hour")
        control(driver, "urgent").click()
        first = control(driver, "First response (ISO 8601)")
        first.clear()
        first.send_keys("PT1H")
        Select(control(driver, "Calendar")).select_by_value("business")
        control(driver, "sat").click()
        control(driver, "On a breach, raise the priority one step").click()
        control(driver, "Create policy").click()
        wait(driver, lambda d: "Urgent within the hour" in section("sla-policies").text, "the policy is not listed")
        policy = next(p for p in admin_get("/api/v1/sla-policies")["items"] if p["name"] == "Urgent within the hour")
        self.assertEqual(policy["applies_to"], {"priority": ["urgent"]})
        self.assertEqual(policy["first_response"], "PT1H")
        self.assertEqual(policy["calendar"]["days"], ["mon", "tue", "wed", "thu", "fri", "sat"])
        self.assertTrue(policy["escalate"]["raise_priority"])
        simulated = api(server.base, "POST", "/api/v1/sla-policies/simulate",
                        {"policy": {k: policy[k] for k in ["applies_to", "first_response", "resolution", "calendar"]},
                         "from": "2000-01-01T00:00:00Z", "to": "2100-01-01T00:00:00Z"}, tenant.token("admin"), 200)
        control(driver, "Edit Urgent within the hour").click()
        control(driver, "Simulate on the last 30 days").click()  # the form's policy, as if it came first
        shown = wait(driver, lambda d: re.search(r"Last 30 days: (\d+) tickets; (\d+) breached", section("sla-policies").text), "no simulation shown")
        self.assertEqual((int(shown.group(1)), int(shown.group(2))), (simulated["tickets"], simulated["breached_now"]))
        resolution = control(driver, "Resolution (ISO 8601)")
        self.assertEqual(resolution.get_attribute("value"), "P2D")
        resolution.clear()
        resolution.send_keys("PT9H")
        control(driver, "Save policy").click()
        eventually(self, lambda: admin_get(f"/api/v1/sla-policies/{policy['id']}")["resolution"] == "PT9H", "the edit was not saved")
        wait(driver, lambda d: "PT9H" in section("sla-policies").text)
        self.assertEqual(admin_get(f"/api/v1/sla-policies/{policy['id']}")["applies_to"], {"priority": ["urgent"]})

    def test_ticket_lifecycle_settings(self):
        close_after = control(driver, "Close resolved tickets after (ISO 8601)")
        close_after.clear()
        close_after.send_keys("P3D")
        Select(control(driver, "Reopening closed tickets")).select_by_value("within")
        window = control(driver, "Reopen window (ISO 8601)")
        window.clear()
        window.send_keys("P5D")
        form = section("ticket-lifecycle").find_element(By.TAG_NAME, "form")
        control(driver, "Save lifecycle").click()
        redrawn(form, "the lifecycle section was not redrawn after saving")
        eventually(self, lambda: (lambda s: s["closed_reopen"] == "within:P5D" and s["auto_close_resolved_after"] == "P3D")(admin_get("/api/v1/settings")),
                   "the lifecycle settings were not saved")
        close_after = control(driver, "Close resolved tickets after (ISO 8601)")
        close_after.clear()
        Select(control(driver, "Reopening closed tickets")).select_by_value("allow")
        control(driver, "Save lifecycle").click()
        # Polled together: a read while the PATCH is in flight may see one field changed and not yet the other.
        eventually(self, lambda: (lambda s: s["closed_reopen"] == "allow" and s["auto_close_resolved_after"] is None)(admin_get("/api/v1/settings")),
                   "the lifecycle settings were not reset")

    def test_email_templates_open_with_their_flag(self):
        self.assertIn("switched off", section("email-templates").text)
        control(driver, "email templates").click()
        subject = control(driver, "Subject of ticket.created")
        subject.clear()
        subject.send_keys("New ticket {{ticket_number}} for you")
        subject.submit()
        eventually(self, lambda: any(t["event"] == "ticket.created" and t["custom"] for t in admin_get("/api/v1/email-templates")["items"]),
                   "the template was not saved")
        control(driver, "email templates").click()
        wait(driver, lambda d: "switched off" in section("email-templates").text)
        self.assertFalse(admin_get("/api/v1/settings")["features"]["email_templates"])

    def test_api_key_with_expiry_and_usage(self):
        control(driver, "public api").click()
        eventually(self, lambda: admin_get("/api/v1/settings")["features"]["public_api"], "public_api not switched on")
        control(driver, "Key name").send_keys("Monitoring")
        driver.execute_script("arguments[0].value = '2031-01-31'", control(driver, "Expires on"))
        control(driver, "tickets:read").click()
        control(driver, "Create key").click()
        key = wait(driver, lambda d: [e.text for e in d.find_elements(By.CSS_SELECTOR, "#api-keys .secret")], "no key shown")[0]
        listed = next(k for k in admin_get("/api/v1/api-keys")["items"] if k["name"] == "Monitoring")
        self.assertTrue(listed["expires_at"].startswith("2031-0"), listed["expires_at"])
        for _ in range(3):
            self.assertEqual(harness.request(server.base, "GET", "/public/v1/tickets", token=key).status, 200)

        def usage_shown(d):
            open_page(d, server.base, "/admin")
            row = d.find_element(By.XPATH, "//section[@id='api-keys']//tr[td[1][normalize-space()='Monitoring']]")
            return row.find_element(By.CSS_SELECTOR, "[data-field=usage]").text == "3"
        wait(driver, usage_shown, "the key's usage does not show 3 requests")
        control(driver, "public api").click()
        eventually(self, lambda: not admin_get("/api/v1/settings")["features"]["public_api"], "public_api not switched off")
        driver.save_screenshot(os.path.join(SHOTS, "admin-keys.png"))

    def test_change_own_password_from_the_navigation(self):
        control(driver, "Ada Admin").click()
        dialog = wait(driver, lambda d: d.find_element(By.CSS_SELECTOR, "dialog[open]"), "no account dialog")
        self.assertEqual(driver.switch_to.active_element.accessible_name, "Current password")
        control(driver, "Current password").send_keys("not my password")
        control(driver, "New password").send_keys("the admin's new passphrase")
        control(driver, "Change password").click()
        wait(driver, lambda d: "current password is wrong" in dialog.text)
        control(driver, "Current password").clear()
        control(driver, "Current password").send_keys(harness.PASSWORD)
        control(driver, "Change password").click()
        wait(driver, lambda d: "password is changed" in dialog.text)
        login = harness.request(server.base, "POST", "/api/v1/auth/login",
                                {"tenant": tenant.slug, "email": tenant.email("admin"), "password": "the admin's new passphrase"})
        self.assertEqual(login.status, 200)
        control(driver, "Close").click()
        wait(driver, lambda d: not d.find_elements(By.CSS_SELECTOR, "dialog"), "the dialog did not close")


if __name__ == "__main__":
    BINARY, SHOTS = sys.argv[1], sys.argv[2]
    unittest.main(argv=[sys.argv[0]] + sys.argv[3:], verbosity=2)
