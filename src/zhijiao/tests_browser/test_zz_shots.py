import pytest
from zhijiao.tests_browser.test_journey import site  # noqa
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

def test_shots(live_server, site, chromium):
    for width in (360, 1280):
        ctx = chromium.new_context(viewport={"width": width, "height": 800}, locale="zh-CN")
        page = ctx.new_page()
        for name, path in [("data", "/data/"), ("k12", "/k12/"), ("hall", "/hall/"), ("topic", "/topics/mental-health/"),
                           ("article", "/articles/%d/" % __import__("zhijiao.portal.models", fromlist=["Article"]).Article.objects.filter(platform="k12").first().pk), ("404", "/nope/"), ("login", "/accounts/login/"), ("topics", "/topics/")]:
            page.goto(live_server.url + path)
            page.wait_for_timeout(300)
            page.screenshot(path=f"/tmp/shot-{name}-{width}.png", full_page=True)
        ctx.close()
