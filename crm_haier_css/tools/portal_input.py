# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Bad input on the service portal's forms, reported the same way everywhere.

The models validate what a customer posts and raise
:class:`PortalInputError` with one message per form field; the portal
controllers only parse the request, call the model and show the messages
next to the fields, keeping what the customer typed. Any other refusal
(``UserError``, ``AccessError``) is shown the same way, above the form.
"""

import base64

from odoo.exceptions import ValidationError

MAX_ATTACHMENTS = 5
# Below the 10 MB Odoo lets a form part take, so that the customer gets
# our inline message rather than a "413 Request Entity Too Large" page.
MAX_ATTACHMENT_SIZE = 5 * 1024 * 1024
ALLOWED_MIMETYPES = ("image/", "application/pdf")


class PortalInputError(ValidationError):
    """Bad input on a portal form: ``field_errors`` maps a field to its message."""

    def __init__(self, field_errors):
        self.field_errors = field_errors
        super().__init__("\n".join(field_errors.values()))


def form_errors(error):
    """Return the {field: message} to show for a refusal of a portal action.

    Messages that belong to no field go under ``form``.
    """
    return getattr(error, "field_errors", None) or {"form": error.args[0]}


def to_int(value):
    """Return the integer a form posted, or 0 when it posted none or garbage."""
    try:
        return int(value or 0)
    except (TypeError, ValueError):
        return 0


def upload_errors(env, uploads):
    """Return the message for uploads the portal refuses, or an empty dict.

    :param uploads: dicts with ``name``, ``mimetype`` and ``size``
    """
    if len(uploads) > MAX_ATTACHMENTS:
        return {
            "attachments": env._(
                "Attach at most %(count)s files.", count=MAX_ATTACHMENTS
            )
        }
    for upload in uploads:
        if not (upload["mimetype"] or "").startswith(ALLOWED_MIMETYPES):
            return {
                "attachments": env._(
                    "%(name)s: attach photos or PDF files only.", name=upload["name"]
                )
            }
        if upload["size"] > MAX_ATTACHMENT_SIZE:
            return {
                "attachments": env._(
                    "%(name)s is larger than %(size)s MB.",
                    name=upload["name"],
                    size=MAX_ATTACHMENT_SIZE // (1024 * 1024),
                )
            }
    return {}


def pending_attachments(env, uploads):
    """Create the uploaded files as attachments pending like a composer's.

    Portal users may have no write access on the record they post on, and a
    portal author may only post their own pending attachments: created as
    superuser on ``mail.compose.message``, posting a message with them links
    them to the message and to its record.

    :param uploads: dicts with ``name``, ``mimetype`` and ``data`` (a callable
        returning the bytes), as the portal controllers parse them
    """
    return (
        env["ir.attachment"]
        .sudo()
        .create(
            [
                {
                    "name": upload["name"],
                    "datas": base64.b64encode(upload["data"]()),
                    "res_model": "mail.compose.message",
                    "res_id": 0,
                    "mimetype": upload["mimetype"],
                }
                for upload in uploads
            ]
        )
    )
