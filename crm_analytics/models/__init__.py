from . import crm_segment
from . import crm_customer_score
from . import crm_product_affinity
from . import res_company
from . import res_config_settings
from . import res_partner
from . import utm_campaign
