from . import crm_funnel_report
from . import crm_campaign_report
from . import crm_service_quality_report
