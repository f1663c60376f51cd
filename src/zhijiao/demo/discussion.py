"""Discussion demo data: the forums of the hot MOOCs' current runs (讨论区 and 答疑区), and of 杨帆's
《教育心理学》 (its open run and its 北京师范大学 SPOC, each with threads of its own), written as learners and
teaching teams write them.

Per run: a pinned welcome thread from the lead teacher, a few discussions with replies and up-votes, 答疑
questions answered by the teaching team (杨帆, 13800000007, answers in 《大学生心理健康》; elsewhere the lead or an
assistant) with accepted answers, some questions still waiting in the 待回答 queue, one post hidden by the team with
a reason, and answers to the first 课堂讨论 prompt of the course with the participation they count. Every prompt of
the course is one of the run's graded items (category ``discussion``) and each answer is scored by the rule of
``discussion.services.grading``, then the run's grades are computed as a regrade would, so the gradebook and the
learners' progress pages show the 课堂讨论 category scored (those who did not answer miss it). Rows are written
with bulk inserts (about 400 posts in a fraction of a second); ``zhijiao demo`` reindexes the search afterwards, so
the threads are findable within their course.
"""

from __future__ import annotations

import random
import uuid
from datetime import timedelta
from typing import Any

from django.utils import timezone

from zhijiao.accounts.models import User
from zhijiao.courses import selectors as courses
from zhijiao.courses import services as course_services
from zhijiao.courses.models import Course, CourseStaff, Enrolment, GradedItem, Run, RunStaff, Score, TeamRole
from zhijiao.discussion.blocks import DEFAULT_MIN_POSTS
from zhijiao.discussion.models import Participation, Post, Thread, Vote
from zhijiao.discussion.services.grading import CATEGORY, POINTS, SOURCE, prompt_earned

from .courses import COVID, MENTAL_HEALTH, WINTER_OLYMPICS

# (title, opening, replies) of discussions, and (title, question, answer) of answered and waiting questions.
FORUMS: dict[str, dict[str, Any]] = {
    MENTAL_HEALTH: {
        "discussions": [
            (
                "期末季压力大，大家都是怎么调节的？",
                "马上要考试了，晚上总是睡不着，白天效率也很低。想听听大家的办法。",
                [
                    "我会每天跑步 3 公里，跑完整个人轻松很多。",
                    "试试第三章讲的“正念呼吸”，睡前做 10 分钟，对我挺有用的。",
                    "把复习计划拆成小目标，每完成一个就打个勾，焦虑感会少很多。",
                    "和室友一起去自习室，互相监督，效率比一个人高。",
                ],
            ),
            (
                "分享一本好书：《被讨厌的勇气》",
                "最近读完了这本书，对“课题分离”的观点很有感触，推荐给正在为人际关系烦恼的同学。",
                ["谢谢推荐，已经加入书单了！", "这本书和课程第五章讲的人际交往理论可以对照着看。"],
            ),
            (
                "宿舍矛盾该怎么沟通？",
                "室友作息和我差别很大，晚上一点还在打游戏。直接说又怕关系闹僵，有什么好的沟通方式吗？",
                [
                    "可以用课上讲的“我信息”表达：说自己的感受，而不是指责对方。",
                    "建议先私下聊，别在宿舍群里说，效果会好很多。",
                    "我们宿舍定了一个作息公约，大家都签了字，现在好多了。",
                ],
            ),
        ],
        "answered": [
            (
                "心理咨询和心理治疗有什么区别？",
                "第二章提到了心理咨询，想问一下它和医院的心理治疗是一回事吗？",
                "两者有联系也有区别：心理咨询主要面向发展性和适应性问题，由咨询师通过谈话帮助来访者；"
                "心理治疗面向精神障碍，通常在医院由精神科医生或治疗师进行。学校心理中心提供的是前者，"
                "如有需要会转介到医院。",
            ),
            (
                "学校的心理咨询要付费吗？怎么预约？",
                "想去学校心理中心聊一聊，但不知道流程。",
                "高校心理健康教育中心的咨询一般免费，可以通过学校官网或公众号预约，也可以直接打电话。"
                "咨询内容严格保密，请放心。",
            ),
        ],
        "waiting": [
            ("第四单元的测验什么时候截止？", "在课程页面没找到第四单元测验的截止时间，请问老师是哪天？"),
            ("情绪 ABC 理论中的 B 具体指什么？", "视频里讲得有点快，B 是“信念”还是“行为”？"),
        ],
    },
    WINTER_OLYMPICS: {
        "discussions": [
            (
                "你最喜欢哪个冬奥项目？",
                "看完第二章的介绍，我最喜欢短道速滑，速度和技巧都太精彩了。大家呢？",
                [
                    "自由式滑雪大跳台！谷爱凌那一跳太震撼了。",
                    "冰壶，看起来慢，其实策略性特别强。",
                    "钢架雪车，胆子小的看着都紧张。",
                ],
            ),
            (
                "“双奥之城”北京有哪些场馆是重复利用的？",
                "课程里提到水立方变成了冰立方，还有哪些场馆实现了夏奥、冬奥两用？",
                ["国家体育馆和五棵松体育中心也都是两届奥运会共用的。", "鸟巢承担了两届奥运会的开闭幕式。"],
            ),
        ],
        "answered": [
            (
                "冬奥会的“绿色办奥”具体体现在哪些方面？",
                "期末论文想写这个题目，请老师给点方向。",
                "可以从三个方面展开：场馆全部使用绿色电力；二氧化碳跨临界直冷制冰技术；"
                "以及场馆的赛后利用。第五章讲义里有数据，可以引用。",
            ),
        ],
        "waiting": [("冰壶比赛的计分规则能再讲一下吗？", "看了两遍视频还是没太明白“后手”和得分的关系。")],
    },
    COVID: {
        "discussions": [
            (
                "疫情中你印象最深的科学知识是什么？",
                "学完第一章，我才知道病毒变异其实是随机的，并不是“越变越弱”。",
                ["我印象最深的是疫苗的作用机制，原来 mRNA 疫苗不会改变人体 DNA。", "戴口罩的原理：主要是挡住飞沫。"],
            ),
        ],
        "answered": [
            (
                "核酸检测和抗原检测有什么区别？",
                "为什么核酸检测更准，但抗原检测更快？",
                "核酸检测检测的是病毒的遗传物质，需要扩增，灵敏度高但耗时；抗原检测检测病毒表面的蛋白，"
                "无需扩增，十几分钟出结果，但病毒量少时容易漏检。",
            ),
        ],
        "waiting": [("群体免疫需要多高的接种率？", "不同资料里说的比例不一样，想知道是怎么算出来的。")],
    },
    "教育心理学": {
        "discussions": [
            (
                "“最近发展区”在课堂上怎么用？",
                "学完第二章，觉得维果茨基的最近发展区很有道理，但在实际教学中怎么判断学生的“最近发展区”呢？",
                [
                    "可以先做个前测，看学生独立能做到哪一步、在提示下又能做到哪一步。",
                    "我实习时教小学数学，发现分层提问很管用：先搭台阶，再慢慢撤掉。",
                    "这就是“支架式教学”吧，关键是支架要适时撤除。",
                ],
            ),
            (
                "奖励会不会削弱学生的内在动机？",
                "第四章讲到“德西效应”，有点担心：给孩子发小红花，会不会让他们只为奖励而学习？",
                [
                    "关键看奖励是“控制性”的还是“信息性”的，具体地表扬进步比单纯发奖品好。",
                    "对本来就没兴趣的任务，适当的外部奖励可以帮助起步，之后再慢慢淡化。",
                    "我们学校的做法是奖励努力和学习策略，而不是只奖励分数。",
                ],
            ),
            (
                "分享：用目标设置对抗拖延",
                "备考教师资格证时总是拖延，后来把大目标拆成每天具体可检查的小目标，效果不错，分享给大家。",
                ["目标要具体、有挑战又能达到，这正是课上讲的目标设置理论。", "我会配合番茄钟，每个番茄定一个小任务。"],
            ),
        ],
        "answered": [
            (
                "同化和顺应有什么区别？",
                "皮亚杰理论里的同化和顺应总是分不清，能举个例子吗？",
                "同化是把新信息纳入已有的图式，顺应是改变已有的图式去适应新信息。比如孩子认识了狗，"
                "第一次见到猫也叫它“狗狗”，这是同化；后来发现猫和狗不一样，建立起“猫”的新概念，这是顺应。"
                "两者交替进行，认知结构在平衡中发展。",
            ),
            (
                "负强化是不是就是惩罚？",
                "看了两遍第三章的视频，还是觉得负强化和惩罚差不多。",
                "不是一回事。强化（无论正负）都使行为更常出现：正强化是给予愉快的刺激，负强化是撤除厌恶的刺激，"
                "比如学生按时交齐作业就免去一次额外练习。惩罚则使行为更少出现。区分的关键是看行为变多还是变少。",
            ),
        ],
        "waiting": [
            ("“学习迁移”和“举一反三”是一回事吗？", "第五章的迁移理论和我们平时说的举一反三很像，区别在哪里？"),
            ("期末考试包括第六章吗？", "想问老师期末考试的范围是不是包括“问题解决与创造性”这一章。"),
        ],
    },
    "数据结构": {
        "discussions": [
            (
                "刷题顺序求推荐",
                "学完链表和栈，想开始刷题，大家是按什么顺序刷的？",
                ["先数组和链表，再栈和队列，然后树，最后图。", "建议配合课程每章的习题，难度是循序渐进的。"],
            ),
        ],
        "answered": [
            (
                "快速排序为什么是不稳定的？",
                "书上说快排不稳定，能举个例子吗？",
                "分区时，相等的元素可能被交换到彼此的另一侧。例如对 [3a, 2, 3b, 1] 以 3b 为基准分区，"
                "3a 可能被换到 3b 后面，相等元素的相对次序就变了。",
            ),
            (
                "递归求斐波那契数列为什么这么慢？",
                "n=40 的时候要算好几秒，是我写错了吗？",
                "没有写错：朴素递归会重复计算大量子问题，时间复杂度是指数级。"
                "用数组记下算过的值（记忆化）或改成循环，就能降到 O(n)。",
            ),
        ],
        "waiting": [
            ("红黑树的删除操作看不懂", "插入还能理解，删除的几种情况太绕了，有没有更直观的讲解？"),
            ("哈希表的装载因子一般取多少？", "Java 里默认是 0.75，为什么不是 1？"),
        ],
    },
    "思想道德与法治": {
        "discussions": [
            (
                "新时代青年应该如何理解“奋斗”？",
                "结合第一章的学习，谈谈你对“奋斗”的理解。",
                ["奋斗不只是埋头苦干，也包括找准方向。", "我觉得从做好身边的小事开始，就是一种奋斗。"],
            ),
        ],
        "answered": [
            (
                "民法典中关于个人信息保护的规定在哪一编？",
                "想了解一下网上个人信息被泄露该怎么维权。",
                "在人格权编第六章“隐私权和个人信息保护”。此外还有《个人信息保护法》，两者可以对照学习。",
            ),
        ],
        "waiting": [("期末考试是开卷还是闭卷？", "请问老师期末考试的形式。")],
    },
}
# A course's SPOC runs on now have forums of their own: one university's class, writing as a class does.
SPOC_FORUMS: dict[str, dict[str, Any]] = {
    "教育心理学": {
        "discussions": [
            (
                "见习中看到的“教师期望效应”",
                "这周去附中见习，发现老师对前排几位同学期望明显更高，提问也更多。想和大家讨论一下皮格马利翁效应。",
                [
                    "我见习的班也有类似情况，老师自己可能都没意识到。",
                    "可以用课上讲的办法：给每位同学同样的候答时间和具体的反馈。",
                    "这个可以做我们小组汇报的案例。",
                ],
            ),
            (
                "学习动机访谈作业组队",
                "按老师要求，每组 4–5 人，完成一次中学生学习动机的访谈调查。还没组队的同学在这里报名吧。",
                ["我和两位室友一组，还差一两个人，欢迎加入。", "我想做初中生的学业求助，有同样想法的同学联系我。"],
            ),
        ],
        "answered": [
            (
                "课堂观察记录表在哪里下载？",
                "见习要用的课堂观察记录表，在课程里没找到。",
                "记录表在第二章的“拓展阅读材料”里，下载打印即可。填好后请在见习结束一周内交给助教。",
            ),
        ],
        "waiting": [("访谈对象需要家长签知情同意书吗？", "我们组想访谈初一的学生，请问老师需要先征得家长同意吗？")],
    },
}
DAY = timedelta(days=1)


def _forums(now: Any) -> list[tuple[Course, Run, dict[str, Any]]]:
    """The forums to write: each course's open run on now with its plan, and its SPOC on now with the SPOC's."""
    found: list[tuple[Course, Run, dict[str, Any]]] = []
    for title, plan in FORUMS.items():
        course = Course.objects.filter(title=title, published_version__isnull=False).first()
        if course is None:
            continue
        plans = {Run.Kind.OPEN: plan, Run.Kind.SPOC: SPOC_FORUMS.get(title)}
        for kind, chosen in plans.items():
            run = (
                Run.objects.filter(course=course, kind=kind, starts_at__lte=now, ends_at__gt=now)
                .order_by("-starts_at")
                .first()
            )
            if run is not None and chosen is not None:
                found.append((course, run, chosen))
    return found


def _team(course: Course, run: Run) -> list[User]:
    """Who answers for the teaching team: the run's staff and the course's assistants, lead first."""
    rows = RunStaff.objects.filter(run=run).select_related("user").order_by("id")
    staff = [row.user for row in sorted(rows, key=lambda row: row.role != TeamRole.LEAD)]
    assistants = [
        row.user for row in CourseStaff.objects.filter(course=course, role=TeamRole.ASSISTANT).select_related("user")
    ]
    return staff + [user for user in assistants if user not in staff]


def _prompts(course: Course) -> list[dict[str, Any]]:
    outline = courses.published_outline(course=course)
    return [
        block for node in courses.walk(outline["nodes"]) for block in node["blocks"] if block["type"] == "discussion"
    ]


def _prompt(course: Course) -> dict[str, Any] | None:
    return next(iter(_prompts(course)), None)


def _prompt_scores(runs: list[Run], participation: list[Participation]) -> int:
    """Each run's prompts as graded items and its learners' answers as scores (bulk), then its grades recomputed;
    how many scores were written. Runs whose policy has no 课堂讨论 category are left alone."""
    items: list[GradedItem] = []
    scores: list[Score] = []
    graded: list[Run] = []
    for run in runs:
        if courses.run_policy(run=run).category(CATEGORY) is None:
            continue
        graded.append(run)
        blocks = {block["content_id"]: block for block in _prompts(run.course)}
        items += [
            GradedItem(
                run=run,
                content_id=uuid.UUID(key),
                category=CATEGORY,
                possible=POINTS,
                title=str(block.get("title") or block["data"].get("prompt", ""))[:120],
            )
            for key, block in blocks.items()
        ]
        for row in participation:
            block = blocks.get(str(row.content_id))
            if row.run_id != run.pk or block is None:
                continue
            earned = prompt_earned(answers=row.reply_count, min_posts=block["data"].get("min_posts", DEFAULT_MIN_POSTS))
            scores.append(
                Score(
                    run=run,
                    user_id=row.user_id,
                    content_id=row.content_id,
                    category=CATEGORY,
                    earned=earned,
                    possible=POINTS,
                    source=SOURCE,
                    source_earned=earned,
                    graded_at=row.first_posted_at,
                )
            )
    GradedItem.objects.bulk_create(items, ignore_conflicts=True)
    Score.objects.bulk_create(scores, ignore_conflicts=True)
    for run in graded:
        course_services.run_regrade(run=run)
    return len(scores)


PROMPT_ANSWERS = [
    "我觉得本章最重要的是把概念和生活联系起来。比如……",
    "举个身边的例子：我们班上周的小组讨论就体现了这一点。",
    "同意楼上的看法，另外我想补充一点：理论要在实践中检验。",
    "以前没想过这个问题，学完这一章才有了比较系统的认识。",
    "我的例子是家里老人使用智能手机的经历，很能说明问题。",
]


def seed_discussions(*, rng: random.Random) -> dict[str, int]:
    """Load the forums (inside the caller's transaction); the counts written."""
    if Thread.objects.exists():
        return {}
    now = timezone.now().replace(second=0, microsecond=0)
    threads: list[Thread] = []
    posts: list[tuple[Thread, Post, Any]] = []  # the thread, the post, when it was written
    accepted: list[tuple[Thread, Post]] = []
    participation: list[Participation] = []
    runs: list[Run] = []
    for course, run, plan in _forums(now):
        team = _team(course, run)
        learners = [row.user for row in Enrolment.objects.filter(run=run).select_related("user").order_by("id")[:40]]
        if not team or len(learners) < 4:
            continue
        lead, helper = team[0], team[-1]
        began = run.starts_at
        runs.append(run)

        def thread(
            kind: str, title: str, author: User, at: Any, *, _run: Run = run, _course: Course = course, **fields: Any
        ) -> Thread:
            item = Thread(
                run=_run, course=_course, kind=kind, title=title, author=author, last_activity_at=at, **fields
            )
            item.created_at = at
            threads.append(item)
            return item

        def post(item: Thread, author: User, body: str, at: Any, *, _team: list[User] = team, **fields: Any) -> Post:
            row = Post(thread=item, author=author, body=f"<p>{body}</p>", by_staff=author in _team, **fields)
            posts.append((item, row, at))
            item.last_activity_at = max(item.last_activity_at, at)
            return row

        welcome_at = began + timedelta(hours=2)
        welcome = thread("discussion", "欢迎来到本课程讨论区（请先阅读）", lead, welcome_at, pinned=True)
        post(
            welcome,
            lead,
            "同学们好！学习中遇到的问题请发到答疑区，教学团队会尽快回复；讨论区欢迎分享心得。"
            "请文明发言，广告和与课程无关的内容会被隐藏。",
            welcome_at,
            is_opening=True,
        )
        for n, (subject, opening, replies) in enumerate(plan["discussions"]):
            at = began + DAY * (2 + 3 * n) + timedelta(hours=rng.randint(8, 22))
            author = learners[n % len(learners)]
            item = thread("discussion", subject, author, at)
            post(item, author, opening, at, is_opening=True)
            for r, text in enumerate(replies):
                post(item, learners[(n + r + 1) % len(learners)], text, at + timedelta(hours=3 * (r + 1)))
        for n, (subject, question, answer) in enumerate(plan["answered"]):
            at = began + DAY * (3 + 4 * n) + timedelta(hours=rng.randint(8, 22))
            asker = learners[(n + 5) % len(learners)]
            item = thread("question", subject, asker, at, staff_replied=True)
            post(item, asker, question, at, is_opening=True)
            post(item, learners[(n + 6) % len(learners)], "同问，我也想知道。", at + timedelta(hours=1))
            answerer = lead if n % 2 == 0 else helper
            best = post(item, answerer, answer, at + timedelta(hours=5))
            accepted.append((item, best))
            post(item, asker, "明白了，谢谢老师！", at + timedelta(hours=7))
        for n, (subject, question) in enumerate(plan["waiting"]):
            at = now - DAY * (2 - n) - timedelta(hours=rng.randint(1, 8))
            asker = learners[(n + 9) % len(learners)]
            item = thread("question", subject, asker, at)
            post(item, asker, question, at, is_opening=True)
        # One post the team hid, with its reason (what learners see: 此内容已被隐藏).
        spam_at = began + DAY * 4
        post(
            welcome,
            learners[-1],
            "低价代写作业，加微信了解。",
            spam_at,
            hidden_at=spam_at + timedelta(hours=1),
            hidden_by=helper,
            hidden_reason="广告信息",
        )
        block = _prompt(course)
        if block is not None:
            at = began + DAY * 5
            item = thread(
                "prompt",
                block.get("title") or "课堂讨论",
                learners[0],
                at,
                block_content_id=uuid.UUID(block["content_id"]),
            )
            for n, learner in enumerate(learners[:6]):
                when = at + timedelta(hours=2 * n)
                post(item, learner, PROMPT_ANSWERS[n % len(PROMPT_ANSWERS)], when)
                participation.append(
                    Participation(
                        run=run,
                        user=learner,
                        content_id=uuid.UUID(block["content_id"]),
                        first_posted_at=when,
                        reply_count=1,
                    )
                )
    Thread.objects.bulk_create(threads)
    rows = [row for _thread, row, _at in posts]
    for item, row, _at in posts:
        row.thread = item
    Post.objects.bulk_create(rows)
    counts: dict[int, int] = {}
    for item, row, _at in posts:
        if not row.is_opening:
            counts[item.pk] = counts.get(item.pk, 0) + 1
    for item in threads:
        item.reply_count = counts.get(item.pk, 0)
    for item, best in accepted:
        item.accepted_post = best
    Thread.objects.bulk_update(threads, ["reply_count", "accepted_post", "last_activity_at"])
    # When each was written (auto_now_add stamped the load time): one update per row, a few hundred in all.
    for item in threads:
        Thread.objects.filter(pk=item.pk).update(created_at=item.created_at, updated_at=item.last_activity_at)
    for _item, row, at in posts:
        Post.objects.filter(pk=row.pk).update(created_at=at, updated_at=at)
    Participation.objects.bulk_create(participation)
    scored = _prompt_scores(runs, participation)
    # Up-votes on the replies from classmates of the same run (one each, never on one's own post).
    members: dict[int, list[int]] = {}
    for item in threads:
        members.setdefault(
            item.run_id, list(Enrolment.objects.filter(run_id=item.run_id).values_list("user_id", flat=True)[:40])
        )
    votes: list[Vote] = []
    for item, row, _at in posts:
        if row.hidden_at is not None:
            continue
        voters = [pk for pk in members[item.run_id] if pk != row.author_id]
        chosen = rng.sample(voters, k=min(len(voters), rng.choice([0, 1, 2, 3, 5, 8])))
        votes += [Vote(post=row, user_id=pk) for pk in chosen]
        row.vote_count = len(chosen)
    Vote.objects.bulk_create(votes, batch_size=2000)
    Post.objects.bulk_update(rows, ["vote_count"], batch_size=2000)
    return {
        "discussion_threads": len(threads),
        "discussion_posts": len(rows),
        "discussion_votes": len(votes),
        "discussion_participation": len(participation),
        "discussion_scores": scored,
    }
