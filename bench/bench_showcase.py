"""Showcase pages and certificates: how long the pages of best practices and honours take with a
large office's worth of content, and what Thai text shaping costs in a certificate.

Pages (the Flask test client, demo data plus WORKS published best practices with likes and
comments, and HONOURS approved honours; median and p95 of REPEAT requests each), compared with
the manual's front page, a template page that reads almost nothing from the database (baseline):

  /manual/                       baseline
  /best-practices                the showcase, page 1 with the featured strip
  /best-practices?stage=...      a filtered page (stage + year)
  /best-practices/<id>           a work's page (gallery, sections, comments, likes)
  /honours                       the whole board, grouped by year and level
  /                              the home page with every feature's block

Certificate: build_certificate() (Sarabun, HarfBuzz shaping on, ToUnicode completed) against the
same layout drawn with shaping off (baseline), median of REPEAT builds.

    .venv/bin/python bench/bench_showcase.py                 # WORKS=600 HONOURS=1500 REPEAT=30
    .venv/bin/python bench/bench_showcase.py --works 200 --honours 400 --repeat 10
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import scratch_app, timed  # noqa: E402


def fill(app, works: int, honours: int) -> None:
    from flask_migrate import upgrade
    from sqlalchemy import select

    from nitet_online.accounts.models import Role, User
    from nitet_online.best_practices.models import (
        SECTIONS,
        BestPractice,
        BestPracticeComment,
        BestPracticeLike,
        BestPracticeStatus,
    )
    from nitet_online.demo import seed_demo
    from nitet_online.extensions import db
    from nitet_online.honours.models import Honour, HonourStatus, Level, RecipientType
    from nitet_online.org.models import GradeLevel, LearningArea
    from nitet_online.services.thai import utcnow

    rng = random.Random(2569)
    with app.app_context():
        upgrade()
        seed_demo()
        teachers = list(db.session.scalars(select(User).where(User.role == Role.TEACHER)))
        areas = list(db.session.scalars(select(LearningArea)))
        levels = list(db.session.scalars(select(GradeLevel)))
        for number in range(works):
            author = rng.choice(teachers)
            practice = BestPractice(
                title=f"ผลงานทดสอบที่ {number} การพัฒนาการอ่าน",
                school_id=author.school_id,
                author=author,
                learning_area=rng.choice(areas),
                academic_year=rng.choice([2566, 2567, 2568, 2569]),
                summary="สรุปย่อ " * 20,
                status=BestPracticeStatus.PUBLISHED,
                published_at=utcnow(),
                featured=number % 50 == 0,
                featured_at=utcnow(),
                grade_levels=rng.sample(levels, 3),
                **{
                    attribute: f"## {heading}\n\n" + "เนื้อหา " * 80
                    for attribute, heading in SECTIONS
                },
            )
            db.session.add(practice)
            db.session.flush()
            for fan in rng.sample(teachers, 5):
                db.session.add(BestPracticeLike(best_practice_id=practice.id, user_id=fan.id))
            for _ in range(3):
                db.session.add(
                    BestPracticeComment(
                        best_practice=practice, author=rng.choice(teachers), body="ดีมาก"
                    )
                )
        for number in range(honours):
            person = rng.choice(teachers)
            db.session.add(
                Honour(
                    recipient_type=RecipientType.TEACHER,
                    recipient_user=person,
                    school_id=person.school_id,
                    award_title=f"รางวัลทดสอบที่ {number}",
                    level=rng.choice(list(Level)),
                    year=rng.choice([2565, 2566, 2567, 2568, 2569]),
                    issuing_body="สำนักงานเขตพื้นที่การศึกษา",
                    status=HonourStatus.APPROVED,
                    reviewed_at=utcnow(),
                )
            )
        db.session.commit()


def bench_pages(app, repeat: int) -> None:
    from sqlalchemy import select

    from nitet_online.best_practices.models import BestPractice
    from nitet_online.extensions import db

    with app.app_context():
        practice_id = db.session.scalar(select(BestPractice.id).order_by(BestPractice.id.desc()))
    client = app.test_client()
    pages = [
        ("/manual/ (baseline)", "/manual/"),
        ("/best-practices", "/best-practices"),
        ("/best-practices?stage&year", "/best-practices?stage=ประถมศึกษา&year=2568"),
        ("/best-practices/<id>", f"/best-practices/{practice_id}"),
        ("/honours", "/honours"),
        ("/ (home)", "/"),
    ]
    print(f"{'page':32} {'median ms':>10} {'p95 ms':>8} {'× baseline':>11}")
    baseline = None
    for label, url in pages:
        assert client.get(url).status_code == 200, url
        median, p95 = timed(lambda url=url: client.get(url), repeat)
        baseline = baseline or median
        print(f"{label:32} {median:10.1f} {p95:8.1f} {median / baseline:11.1f}")


def bench_certificate(app, repeat: int) -> None:
    from sqlalchemy import select

    from nitet_online.extensions import db
    from nitet_online.honours import certificate
    from nitet_online.honours.models import Honour

    with app.app_context():
        honour = db.session.scalar(select(Honour).order_by(Honour.id))
        shaped, _ = timed(lambda: certificate.build_certificate(honour), repeat)
        original = certificate.CertificatePDF.__init__

        def unshaped_init(self) -> None:
            original(self)
            self.set_text_shaping(False)

        certificate.CertificatePDF.__init__ = unshaped_init
        try:
            plain, _ = timed(lambda: certificate.build_certificate(honour), repeat)
        finally:
            certificate.CertificatePDF.__init__ = original
        size = len(certificate.build_certificate(honour))
    print(f"\n{'certificate':32} {'median ms':>10}")
    print(f"{'shaping off (baseline)':32} {plain:10.1f}")
    print(
        f"{'shaping on, ToUnicode completed':32} {shaped:10.1f}   ×{shaped / plain:.1f}, {size / 1024:.0f} KB"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--works", type=int, default=600)
    parser.add_argument("--honours", type=int, default=1500)
    parser.add_argument("--repeat", type=int, default=30)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        app = scratch_app(Path(folder))
        started = time.perf_counter()
        fill(app, options.works, options.honours)
        print(
            f"{options.works} published works, {options.honours} approved honours "
            f"(+ demo data) in {time.perf_counter() - started:.0f} s; {options.repeat} requests each\n"
        )
        bench_pages(app, options.repeat)
        bench_certificate(app, max(5, options.repeat // 3))


if __name__ == "__main__":
    main()
