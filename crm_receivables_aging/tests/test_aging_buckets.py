# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from datetime import timedelta

from odoo import Command
from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common import AS_OF, AgingCommon


@tagged("post_install", "-at_install")
class TestAgingBuckets(AgingCommon):
    def test_default_bucket_set(self):
        self.assertEqual(
            [(b.name, b.days_from, b.days_to) for b in self.buckets],
            [
                ("Not due", 0, 0),
                ("1-30", 1, 30),
                ("31-60", 31, 60),
                ("61-90", 61, 90),
                ("91-180", 91, 180),
                ("Over 180", 181, 0),
            ],
        )

    def test_default_names_translated(self):
        """A company created in a database with Chinese installed gets its
        default bucket, policy and level names in Chinese as well."""
        self.env["res.lang"]._activate_lang("zh_CN")
        company = self.env["res.company"].create({"name": "Haier Shenzhen"})
        buckets = company.aging_bucket_ids.sorted("sequence")
        policy = self.env["aging.reminder.policy"].search(
            [("company_id", "=", company.id)]
        )
        levels = policy.level_ids.sorted("sequence")
        self.assertEqual(buckets[0].name, "Not due")
        self.assertEqual(levels[1].name, "First reminder")
        chinese = self.env(context=dict(self.env.context, lang="zh_CN"))
        self.assertEqual(
            buckets.with_env(chinese).mapped("name"),
            ["未到期", "1-30", "31-60", "61-90", "91-180", "超过180天"],
        )
        self.assertEqual(policy.with_env(chinese).name, "标准提醒")
        self.assertEqual(
            levels.with_env(chinese).mapped("name"),
            ["即将到期", "第一次提醒", "第二次提醒", "最终通知", "催收电话"],
        )

    def test_every_bucket_boundary(self):
        """Due today is not overdue; 1 and 30 in 1-30; 31 in 31-60; 180 in
        91-180; 181 over 180."""
        expected = {
            -5: "Not due",
            0: "Not due",
            1: "1-30",
            30: "1-30",
            31: "31-60",
            60: "31-60",
            61: "61-90",
            90: "61-90",
            91: "91-180",
            180: "91-180",
            181: "Over 180",
            400: "Over 180",
        }
        for days, bucket_name in expected.items():
            with self.subTest(days=days):
                partner = self.env["res.partner"].create({"name": f"Due {days}"})
                self._invoice(partner, AS_OF - timedelta(days=days), 100.0)
                row = self._row(partner)
                bucket = self._bucket(bucket_name)
                self.assertEqual(row["buckets"][bucket.id], 100.0)
                self.assertEqual(sum(row["buckets"].values()), 100.0)
                self.assertEqual(row["max_days_overdue"], max(days, 0))
                self.assertEqual(row["not_due"], 100.0 if days <= 0 else 0.0)
                self.assertEqual(row["due_today"], 100.0 if days == 0 else 0.0)

    def test_due_this_week(self):
        partner = self.env["res.partner"].create({"name": "Weekly"})
        self._invoice(partner, AS_OF, 10.0)  # Wednesday, today
        self._invoice(partner, AS_OF + timedelta(days=4), 20.0)  # Sunday
        self._invoice(partner, AS_OF + timedelta(days=5), 40.0)  # next Monday
        self._invoice(partner, AS_OF - timedelta(days=1), 80.0)  # overdue
        row = self._row(partner)
        self.assertEqual(row["due_today"], 10.0)
        self.assertEqual(row["due_this_week"], 30.0)
        self.assertEqual(row["not_due"], 70.0)
        self.assertEqual(row["total"], 150.0)

    def test_gap_is_refused(self):
        with self.assertRaisesRegex(ValidationError, "31-60 must start at day 31"):
            self._bucket("31-60").days_from = 35

    def test_overlap_is_refused(self):
        with self.assertRaisesRegex(ValidationError, "31-60 must start at day 31"):
            self._bucket("31-60").days_from = 25

    def test_last_bucket_has_no_upper_limit(self):
        with self.assertRaisesRegex(ValidationError, "no upper limit"):
            self._bucket("Over 180").days_to = 365

    def test_removing_a_middle_bucket_is_refused(self):
        with self.assertRaisesRegex(ValidationError, "without gap or overlap"):
            self._bucket("31-60").unlink()

    def test_edit_buckets_together_on_the_company(self):
        """Shifting a boundary touches two buckets: saved together it is valid."""
        first, second = self._bucket("1-30"), self._bucket("31-60")
        self.company.write(
            {
                "aging_bucket_ids": [
                    Command.update(first.id, {"days_to": 45, "name": "1-45"}),
                    Command.update(second.id, {"days_from": 46, "name": "46-60"}),
                ]
            }
        )
        partner = self.env["res.partner"].create({"name": "Shifted"})
        self._invoice(partner, AS_OF - timedelta(days=40), 100.0)
        self.assertEqual(self._row(partner)["buckets"][first.id], 100.0)
        with self.assertRaisesRegex(ValidationError, "without gap or overlap"):
            self.company.write(
                {"aging_bucket_ids": [Command.update(first.id, {"days_to": 40})]}
            )

    def test_new_company_gets_default_buckets_and_policy(self):
        company = self.env["res.company"].create({"name": "Haier Service Outlet"})
        self.assertEqual(len(company.aging_bucket_ids), 6)
        policy = self.env["aging.reminder.policy"].search(
            [("company_id", "=", company.id)]
        )
        self.assertEqual(policy.level_ids.mapped("days"), [-3, 7, 30, 60, 90])
