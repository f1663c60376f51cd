"""What the browser tests share: signing a seeded user in through the real login page."""

from typing import Any

from playwright.sync_api import Browser, Page, expect

from zhijiao.accounts.tests.factories import PASSWORD


def sign_in(browser: Browser, live_server: Any, phone: str, **context_args: Any) -> Page:
    """A new Chinese-language browser context (with ``context_args``) whose page is signed in as ``phone``."""
    context = browser.new_context(locale="zh-CN", **context_args)
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.locator('input[name="login"]').fill(phone)
    page.locator('input[name="password"]').fill(PASSWORD)
    page.locator('input[name="password"]').press("Enter")
    expect(page.get_by_role("navigation", name="账号")).to_contain_text("退出")
    return page
