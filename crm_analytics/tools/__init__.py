from . import cron_lock
