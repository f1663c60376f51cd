from django.conf.locale.zh_Hans.formats import *  # noqa: F403 - Django's Chinese formats are how people write them

SHORT_DATE_FORMAT = "Y-m-d"  # 2026-12-04, for tables
SHORT_DATETIME_FORMAT = "Y-m-d H:i"  # 2026-12-04 14:30
