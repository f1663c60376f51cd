"""The demo's people who appear in several apps, written once: every demo module reads their facts from here.

陈思远 (13800000013) is the one most visitors follow. His story, on any day the demo is started:

- 本科 at 清华大学, 生物技术 (理学), four years ending in June of ``bachelor_end.year`` (学籍, 学历, 学位 in the
  service hall; his graduate profile, résumé and three-party agreement in employment; a CET-4 pass in his second
  term);
- then a one-year taught 硕士 in 生物技术 at 香港中文大学, starting the September after, finished and awarded the
  summer before the latest autumn (foreign degree authentication, returnee registration);
- now back in 北京 and signing with a 生物制药 employer, 报到 a month or so from today.

Dates are relative to the day the data is loaded, so the story holds whenever the demo is started.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


def school_year(today: date) -> int:
    """The calendar year the current school year began in (a school year starts on 1 September)."""
    return today.year if today.month >= 9 else today.year - 1


@dataclass(frozen=True)
class Returnee:
    """A graduate of a mainland university who then took a master's abroad and came back to work."""

    phone: str
    name: str
    gender: str
    university: str
    major: str
    discipline: str  # 学科门类 code of the national degree catalogue
    master_country: str
    master_institution: str
    master_major: str
    master_months: int  # a Hong Kong taught master's takes one year
    today: date

    # The master's finished in the summer before the latest October, so its degree is awarded and authenticated.
    @property
    def master_end(self) -> date:
        year = self.today.year if self.today.month >= 10 else self.today.year - 1
        return date(year, 7, 15)

    @property
    def master_start(self) -> date:
        return date(self.master_end.year - 1, 9, 1)

    @property
    def master_awarded(self) -> date:
        return date(self.master_end.year, 7, 31)

    @property
    def returned_on(self) -> date:
        return date(self.master_end.year, 8, 8)

    @property
    def bachelor_end(self) -> date:
        """The June before the master's began: the two never overlap."""
        return date(self.master_start.year, 6, 30)

    @property
    def bachelor_start(self) -> date:
        return date(self.bachelor_end.year - 4, 9, 1)

    @property
    def graduation_year(self) -> int:
        """The 届 his university counts him in (the year of his bachelor's)."""
        return self.bachelor_end.year

    @property
    def birth_year(self) -> int:
        return self.bachelor_start.year - 18

    @property
    def cet4_year(self) -> int:
        """CET-4 in June of his first year at university."""
        return self.bachelor_start.year + 1


def chen_siyuan(today: date) -> Returnee:
    return Returnee(
        phone="13800000013",
        name="陈思远",
        gender="M",
        university="清华大学",
        major="生物技术",
        discipline="07",
        master_country="中国香港",
        master_institution="香港中文大学",
        master_major="生物技术",
        master_months=12,
        today=today,
    )


def demo_ticket(today: date) -> str:
    """陈思远's CET-4 ticket number (准考证号): the site 110108, the two-digit year, then level, room and seat."""
    return f"110108{chen_siyuan(today).cet4_year % 100:02d}1290013"
