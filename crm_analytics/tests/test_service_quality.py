# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestServiceQuality(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer = cls.env["res.partner"].create({"name": "Quality Customer"})
        cls.fridge = cls.env["product.product"].create({"name": "Fridge BCD-215"})
        cls.fault = cls.env["css.fault.code"].create(
            {"code": "T-CMP", "name": "Compressor noise"}
        )
        cls.team = cls.env["css.team"].create({"name": "Quality Outlet"})

    def _case(self, **values):
        return self.env["css.case"].create(
            {
                "partner_id": self.customer.id,
                "product_id": self.fridge.id,
                "team_id": self.team.id,
                "description": "Noise",
                **values,
            }
        )

    def _rate(self, case, value):
        token = case._rating_get_access_token(self.customer)
        case.rating_apply(value, token=token)

    def test_quality_per_team_and_top_faults(self):
        met = self._case(fault_code_id=self.fault.id)
        met.action_first_response()
        met.action_resolve()
        reopened = self._case(fault_code_id=self.fault.id)
        reopened.action_first_response()
        reopened.action_resolve()
        reopened.action_reopen()
        reopened.action_resolve()
        self._case()  # still open: no SLA verdict, no fix yet
        self._rate(met, 5)
        self._rate(reopened, 4)
        self.env.flush_all()
        Report = self.env["crm.service.quality.report"]
        [(count, compliance, ftf, rating)] = Report._read_group(
            [("team_id", "=", self.team.id)],
            [],
            ["__count", "sla_compliance:avg", "first_time_fix:avg", "rating:avg"],
        )
        self.assertEqual(count, 3)
        self.assertEqual(met.sla_status, "met")
        self.assertAlmostEqual(compliance, 100.0)
        self.assertAlmostEqual(ftf, 50.0)
        self.assertAlmostEqual(rating, 4.5)
        faults = dict(
            Report._read_group(
                [("product_id", "=", self.fridge.id)], ["fault_code_id"], ["__count"]
            )
        )
        self.assertEqual(faults[self.fault], 2)
