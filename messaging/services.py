"""Every change to SMS settings, 10DLC brands and campaigns, test messages, and the sync.

The shape of every write follows the numbers app (dids/services.py):
1. validate the input, so bad input never reaches VI (ValidationError);
2. call the gateway, outside any database transaction;
3. update only the mirror rows VI confirmed, in one transaction, marking them changed
   locally so a sync already under way leaves them alone, with history (actor, source);
4. return a result per number where VI answers per number.

VI's refusal of a whole call raises `ProviderRejected`; VI unreachable raises
`ProviderUnavailable`; in both cases nothing changes locally.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from contextlib import AbstractContextManager
from dataclasses import asdict
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email
from django.db import transaction
from django.utils import timezone

from dids.numbers import normalize_tn, normalize_tns
from portal.actor import Actor
from portal.history import Change, diff, model_label, record_many
from portal.mirror import MirrorModel
from portal.models import ChangeRecord, Source
from portal.sync.context import SyncContext
from portal.sync.reconcile import ShrinkHeld, reconcile
from portal.voipinnovations.client import CallerContext, provider_context
from portal.voipinnovations.errors import ProviderRejected, ProviderUnavailable

from . import gateway
from .models import (
    WEBHOOK_TYPES,
    Brand,
    CachedChoices,
    Campaign,
    CampaignStatus,
    DestinationType,
    SentMessage,
    SMSNumber,
)
from .records import BrandRecord, CampaignRecord, Choice, NumberOutcome, SMSSetting, UsecaseOption

Action = ChangeRecord.Action

# Numbers per AssignToSMSCampaign / RemoveFromSMSCampaign call.
CAMPAIGN_CHUNK_SIZE = 500

MAX_SMS_LENGTH = 1600
MAX_MMS_BYTES = 1024 * 1024
MAX_MMS_FILES = 10
MMS_CONTENT_TYPES = frozenset(
    {
        "image/jpeg",
        "image/png",
        "image/gif",
        "video/mp4",
        "audio/mpeg",
        "text/plain",
        "application/pdf",
    }
)
# Brand states the vetting (or the owner's OTP answer) can still move.
UNSETTLED_VERIFICATION = frozenset({"PENDING", "OTP_SENT"})

_TCR_CAMPAIGN_ID = re.compile(r"^C[A-Z0-9]{6}$")


class BrandHasCampaigns(Exception):
    """A brand with live campaigns cannot be deleted (VI refuses it too: 962)."""


EXPECTED_ERRORS: tuple[type[Exception], ...] = (BrandHasCampaigns,)


# --- validation ------------------------------------------------------------------------------


def sms_address(value: str, *, sender: bool = False) -> str:
    """A number as VI's SendSMS wants it: digits only with the country code ("1" + 10 digits).

    A person may type it any usual way; what goes to VI is digits only. Only North American
    senders exist (the account's own numbers); recipients may be international (11-15 digits).
    """
    text = (value or "").strip()
    digits = re.sub(r"\D", "", text)
    if not digits:
        raise ValidationError("Enter a telephone number.", code="required")
    if len(digits) == 10 or (len(digits) == 11 and digits.startswith("1")) or text.startswith("+1"):
        return "1" + normalize_tn(text)
    if sender:
        raise ValidationError(
            "The sender must be one of the account's 10-digit numbers.", code="invalid"
        )
    if not text.startswith("+") or not 11 <= len(digits) <= 15:
        raise ValidationError(
            f"“{text}” is not a telephone number VI can text: use 10 digits, or + and the country code.",
            code="invalid",
        )
    return digits


def destination_validate(
    *, destination_type: str, destination: str = "", auth_token: str = ""
) -> tuple[str, str, str]:
    """The (type, destination, auth token) VI will accept; the token only for webhooks."""
    kind = (destination_type or "").strip().upper()
    if kind not in DestinationType.values:
        raise ValidationError("Choose a destination type.", code="invalid_type")
    destination = (destination or "").strip()
    auth_token = (auth_token or "").strip()
    if kind == DestinationType.EMAIL:
        addresses = [part.strip() for part in re.split(r"[;,\s]+", destination) if part.strip()]
        if not addresses:
            raise ValidationError(
                "Email delivery needs at least one email address.", code="destination"
            )
        for address in addresses:
            try:
                validate_email(address)
            except ValidationError:
                raise ValidationError(
                    f"“{address}” is not an email address.", code="destination"
                ) from None
        destination = ";".join(addresses)
    elif kind == DestinationType.FORWARD:
        destination = normalize_tn(destination)
    elif kind in WEBHOOK_TYPES:
        try:
            URLValidator(schemes=["http", "https"])(destination)
        except ValidationError:
            raise ValidationError("A webhook needs an http(s) URL.", code="destination") from None
    elif kind == DestinationType.NONE:
        destination = ""
    if kind not in WEBHOOK_TYPES:
        auth_token = ""
    return kind, destination, auth_token


# --- mirror writing --------------------------------------------------------------------------


def _save_rows(
    model: type[MirrorModel],
    values_by_key: Mapping[str, Mapping[str, Any]],
    *,
    actor: Actor,
    source: Source,
    note: str = "",
    gone: bool | None = None,
) -> None:
    """Write VI-confirmed values to mirror rows (creating missing ones), with history.

    `gone=True` marks the rows gone (a delete at VI); `gone=False` brings them back. Joins
    the caller's transaction when a service writes more than one model in one unit.
    """
    if not values_by_key:
        return
    now = timezone.now()
    key_field = model.natural_key_field
    label = model_label(model)
    with transaction.atomic(savepoint=False):
        rows = {
            getattr(row, key_field): row
            for row in model._default_manager.select_for_update().filter(
                **{f"{key_field}__in": list(values_by_key)}
            )
        }
        history: list[Change] = []
        for key, values in values_by_key.items():
            row = rows.get(key)
            if row is None:
                if gone:
                    continue
                row = model(**{key_field: key}, first_seen_at=now, **values)
                row.mark_locally_changed(actor=actor, at=now)
                row.save()
                history.append(
                    Change(label, key, Action.CREATED, diff({}, dict(values)), note=note)
                )
                continue
            before = {name: getattr(row, name) for name in values}
            for name, value in values.items():
                setattr(row, name, value)
            change = diff(before, dict(values))
            action = Action.UPDATED
            if gone and row.gone_at is None:
                change["gone_at"] = [None, now.isoformat()]
                row.gone_at, action = now, Action.GONE
            elif not gone and row.gone_at is not None:
                change["gone_at"] = [row.gone_at.isoformat(), None]
                row.gone_at, action = None, Action.RETURNED
            row.mark_locally_changed(actor=actor, at=now)
            row.save()
            history.append(Change(label, key, action, change, note=note))
        record_many(history, actor=actor, source=source, at=now)


def _setting_values(setting: SMSSetting) -> dict[str, Any]:
    values = asdict(setting)
    values.pop("tn")
    return values


def _brand_values(record: BrandRecord) -> dict[str, Any]:
    values = asdict(record)
    values.pop("customer_id")
    return values


def _campaign_values(
    record: CampaignRecord, *, rejection_reasons: Sequence[str] | None = None
) -> dict[str, Any]:
    values = asdict(record)
    values.pop("campaign_id")
    values["tns"] = list(record.tns)
    values["rejection_reasons"] = list(
        rejection_reasons if rejection_reasons is not None else record.rejection_reasons
    )
    return values


def _context(actor: Actor, source: Source) -> AbstractContextManager[CallerContext]:
    return provider_context(actor=actor, source=source)


# --- per-number SMS --------------------------------------------------------------------------


def destinations_configure(
    *,
    tns: Iterable[str] | str,
    destination_type: str,
    destination: str = "",
    auth_token: str = "",
    actor: Actor,
    source: Source,
) -> list[NumberOutcome]:
    """Set where messages to each number go (ConfigSMSDestination, one call per number).

    NONE turns SMS off. A refusal stops only that number; VI becoming unreachable stops the
    rest, which say so (what VI did before stays done, and is in the mirror).
    """
    numbers = normalize_tns(tns)
    kind, destination, auth_token = destination_validate(
        destination_type=destination_type, destination=destination, auth_token=auth_token
    )
    outcomes: list[NumberOutcome] = []
    confirmed: dict[str, dict[str, Any]] = {}
    with _context(actor, source):
        for index, tn in enumerate(numbers):
            try:
                setting = gateway.config_sms_destination(
                    tn=tn, destination_type=kind, destination=destination, auth_token=auth_token
                )
            except ProviderRejected as refusal:
                outcomes.append(
                    NumberOutcome(tn=tn, code=refusal.code, ok=False, message=refusal.message)
                )
                continue
            except ProviderUnavailable:
                if index == 0:
                    raise
                outcomes.extend(
                    NumberOutcome(
                        tn=rest, code="", ok=False, message="VI is unreachable — not changed."
                    )
                    for rest in numbers[index:]
                )
                break
            confirmed[tn] = _setting_values(setting)
            words = (
                "SMS off."
                if kind == DestinationType.NONE
                else f"SMS on — {DestinationType(kind).label}."
            )
            outcomes.append(NumberOutcome(tn=tn, code="100", ok=True, message=words))
    _save_rows(SMSNumber, confirmed, actor=actor, source=source, note=f"SMS destination {kind}")
    return outcomes


def sms_enable(*, tn: str, actor: Actor, source: Source) -> NumberOutcome:
    """Turn SMS on for one number, delivering to its endpoint group (SIP) until someone picks
    another destination.

    VI's older ConfigSMS(enable=true) does the same, but VI deprecates it in favour of
    ConfigSMSDestination, and SIP with no destination is what its "enable" means. A number VI
    cannot give SMS (its carrier or kind of number) is refused with 954: the outcome says so.
    """
    return destinations_configure(
        tns=[tn], destination_type=DestinationType.SIP, actor=actor, source=source
    )[0]


def _chunks(items: Sequence[str], size: int) -> Iterable[Sequence[str]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _campaign_calls(
    numbers: Sequence[str], write: Callable[[Sequence[str]], list[NumberOutcome]]
) -> list[NumberOutcome]:
    """Many numbers per call, chunked; a later chunk's failure becomes per-number outcomes."""
    outcomes: list[NumberOutcome] = []
    for index, chunk in enumerate(_chunks(numbers, CAMPAIGN_CHUNK_SIZE)):
        try:
            outcomes.extend(write(chunk))
        except (ProviderRejected, ProviderUnavailable) as error:
            if index == 0:
                raise
            code = str(getattr(error, "code", "") or "")
            words = getattr(error, "message", "") or str(error)
            outcomes.extend(
                NumberOutcome(tn=tn, code=code, ok=False, message=words) for tn in chunk
            )
    return outcomes


def _move_numbers(
    outcomes: Sequence[NumberOutcome], *, campaign_id: str, actor: Actor, source: Source, note: str
) -> None:
    """Mirror what VI confirmed: the numbers' campaign and the campaigns' number lists."""
    moved = [outcome.tn for outcome in outcomes if outcome.ok]
    if not moved:
        return
    # The numbers' campaign and the campaigns' number lists change as one unit.
    with transaction.atomic():
        previous = dict(
            SMSNumber.objects.select_for_update()
            .filter(tn__in=moved)
            .values_list("tn", "campaign_id")
        )
        _save_rows(
            SMSNumber,
            {tn: {"campaign_id": campaign_id} for tn in moved},
            actor=actor,
            source=source,
            note=note,
        )
        affected = {campaign for campaign in previous.values() if campaign} | (
            {campaign_id} if campaign_id else set()
        )
        lists: dict[str, dict[str, Any]] = {}
        for campaign in Campaign.objects.select_for_update().filter(campaign_id__in=affected):
            tns = set(campaign.tns)
            if campaign.campaign_id == campaign_id:
                tns |= set(moved)
            else:
                tns -= {tn for tn in moved if previous.get(tn) == campaign.campaign_id}
            if tns != set(campaign.tns):
                lists[campaign.campaign_id] = {"tns": sorted(tns)}
        _save_rows(Campaign, lists, actor=actor, source=source, note=note)


def campaign_numbers_assign(
    *, tns: Iterable[str] | str, campaign_id: str, actor: Actor, source: Source
) -> list[NumberOutcome]:
    """Put numbers on an approved campaign (AssignToSMSCampaign); a result per number."""
    numbers = normalize_tns(tns)
    campaign_id = (campaign_id or "").strip().upper()
    if not campaign_id:
        raise ValidationError("Choose a campaign.", code="campaign")
    with _context(actor, source):
        outcomes = _campaign_calls(
            numbers,
            lambda chunk: gateway.assign_to_sms_campaign(tns=chunk, campaign_id=campaign_id),
        )
    _move_numbers(
        outcomes,
        campaign_id=campaign_id,
        actor=actor,
        source=source,
        note=f"assigned to {campaign_id}",
    )
    return outcomes


def campaign_numbers_remove(
    *, tns: Iterable[str] | str, actor: Actor, source: Source
) -> list[NumberOutcome]:
    """Take numbers off their campaign (RemoveFromSMSCampaign); a result per number."""
    numbers = normalize_tns(tns)
    with _context(actor, source):
        outcomes = _campaign_calls(
            numbers, lambda chunk: gateway.remove_from_sms_campaign(tns=chunk)
        )
    _move_numbers(
        outcomes, campaign_id="", actor=actor, source=source, note="removed from campaign"
    )
    return outcomes


def sms_number_refresh(*, tn: str, actor: Actor, source: Source) -> SMSNumber | None:
    """Read one number's SMS state afresh (AuditSMS with a tn)."""
    tn = normalize_tn(tn)
    with _context(actor, source):
        setting = gateway.audit_sms_number(tn=tn)
    if setting is None:
        return None
    _save_rows(
        SMSNumber,
        {tn: _setting_values(setting)},
        actor=actor,
        source=source,
        note="refreshed from VI",
    )
    return SMSNumber.objects.get(tn=tn)


# --- sending ---------------------------------------------------------------------------------


def mms_files_validate(files: Sequence[Mapping[str, Any]]) -> None:
    """Checked before the call with VI's own limits, so a person learns why at once."""
    if not files:
        raise ValidationError("Attach a file to send an MMS.", code="no_file")
    if len(files) > MAX_MMS_FILES:
        raise ValidationError(f"At most {MAX_MMS_FILES} files per MMS.", code="too_many_files")
    total = 0
    for item in files:
        if item["content_type"] not in MMS_CONTENT_TYPES:
            raise ValidationError(
                f"“{item['file_name']}” is {item['content_type'] or 'of an unknown type'}: VI sends images "
                "(JPEG, PNG, GIF), MP4 video, MP3 audio, text and PDF only.",
                code="file_type",
            )
        if not item["content"]:
            raise ValidationError(f"“{item['file_name']}” is empty.", code="empty_file")
        total += len(item["content"])
    if total > MAX_MMS_BYTES:
        raise ValidationError(
            f"The files are {total / 1024:.0f} KB together; VI takes at most {MAX_MMS_BYTES // 1024} KB per MMS.",
            code="file_size",
        )


def test_message_send(
    *,
    sender_tn: str,
    recipient: str,
    message: str,
    files: Sequence[Mapping[str, Any]] = (),
    actor: Actor,
    source: Source,
) -> SentMessage:
    """Send an SMS (or, with files, an MMS) from one of the account's numbers; always recorded.

    VI's refusal is recorded with the message and returned (`ok` False), not raised: the
    record of what was tried is the point. VI unreachable raises and records nothing sent.
    """
    sender = sms_address(sender_tn, sender=True)
    to = sms_address(recipient)
    message = (message or "").strip()
    if not files and not message:
        raise ValidationError("Write a message.", code="empty_message")
    if len(message) > MAX_SMS_LENGTH:
        raise ValidationError(f"A message is at most {MAX_SMS_LENGTH} characters.", code="too_long")
    if files:
        mms_files_validate(files)
    with _context(actor, source):
        if files:
            result = gateway.send_mms(sender=sender, recipient=to, message=message, files=files)
        else:
            result = gateway.send_sms(sender=sender, recipient=to, message=message)
    return SentMessage.objects.create(
        actor=actor,
        kind=SentMessage.Kind.MMS if files else SentMessage.Kind.SMS,
        sender=sender,
        recipient=to,
        body=message,
        files=[
            {"name": f["file_name"], "content_type": f["content_type"], "size": len(f["content"])}
            for f in files
        ],
        ok=result.ok,
        response_code=result.code,
        response_message=(
            result.message if result.ok else gateway.describe(result.code, result.message)
        )[:500],
        uuid=result.uuid,
        status=result.status,
    )


# --- choices for the forms -------------------------------------------------------------------


def _cache(key: str, values: list[dict]) -> None:
    CachedChoices.objects.update_or_create(
        key=key, defaults={"values": values, "fetched_at": timezone.now()}
    )


def enumerations_refresh(*, actor: Actor, source: Source) -> dict[str, list[Choice]]:
    with _context(actor, source):
        kinds = gateway.get_sms_enumerations()
    for kind, choices in kinds.items():
        _cache(kind, [asdict(choice) for choice in choices])
    return kinds


def enumeration_choices(*, kind: str, actor: Actor, source: Source) -> list[Choice]:
    """VI's list of `kind` from the cache, asking VI once when it was never fetched."""
    cached = CachedChoices.objects.filter(key=kind).first()
    if cached is None:
        try:
            return enumerations_refresh(actor=actor, source=source).get(kind, [])
        except (ProviderRejected, ProviderUnavailable):
            return []
    return [Choice(**item) for item in cached.values]


def usecase_options_refresh(
    *, customer_id: str, actor: Actor, source: Source
) -> list[UsecaseOption]:
    with _context(actor, source):
        options = gateway.get_sms_usecase_options(customer_id=customer_id)
    _cache(
        f"USECASES:{customer_id}",
        [{**asdict(option), "sub_usecases": list(option.sub_usecases)} for option in options],
    )
    return options


def usecase_options(*, customer_id: str, actor: Actor, source: Source) -> list[UsecaseOption]:
    cached = CachedChoices.objects.filter(key=f"USECASES:{customer_id}").first()
    if cached is None:
        return usecase_options_refresh(customer_id=customer_id, actor=actor, source=source)
    return [
        UsecaseOption(**{**item, "sub_usecases": tuple(item["sub_usecases"])})
        for item in cached.values
    ]


# --- brands ----------------------------------------------------------------------------------


BRAND_REQUIRED = ("display_name", "entity_type", "email", "phone", "country")


def brand_validate(values: Mapping[str, Any]) -> None:
    """VI's rules for a brand (The Campaign Registry's), checked before the call."""
    missing = [name for name in BRAND_REQUIRED if not values.get(name)]
    entity = values.get("entity_type")
    if entity == "SOLE_PROPRIETOR":
        missing += [name for name in ("first_name", "last_name") if not values.get(name)]
    elif entity:
        missing += [name for name in ("company_name", "ein", "vertical") if not values.get(name)]
    if entity == "PUBLIC_PROFIT":
        missing += [name for name in ("stock_symbol", "stock_exchange") if not values.get(name)]
    if missing:
        raise ValidationError(
            {
                name: ValidationError("Required for this kind of brand.", code="required")
                for name in missing
            }
        )


def brand_create(*, values: Mapping[str, Any], actor: Actor, source: Source) -> Brand:
    values = {name: value for name, value in values.items() if value not in (None, "")}
    brand_validate(values)
    with _context(actor, source):
        record = gateway.create_sms_customer(values=values)
    _save_rows(
        Brand,
        {record.customer_id: _brand_values(record)},
        actor=actor,
        source=source,
        note="created",
    )
    return Brand.objects.get(customer_id=record.customer_id)


def brand_update(
    *, customer_id: str, values: Mapping[str, Any], actor: Actor, source: Source
) -> Brand:
    brand = Brand.objects.get(customer_id=customer_id)
    merged = {**{name: getattr(brand, name) for name in Brand.vi_fields}, **values}
    brand_validate(merged)
    with _context(actor, source):
        record = gateway.update_sms_customer(customer_id=customer_id, values=values)
    _save_rows(
        Brand, {customer_id: _brand_values(record)}, actor=actor, source=source, note="edited"
    )
    return Brand.objects.get(customer_id=customer_id)


def brand_delete(*, customer_id: str, actor: Actor, source: Source) -> None:
    live = Campaign.objects.filter(customer_id=customer_id, gone_at__isnull=True).exclude(
        status=CampaignStatus.DELETED
    )
    if live.exists():
        names = ", ".join(str(campaign) for campaign in live[:5])
        raise BrandHasCampaigns(f"The brand still has campaigns ({names}) — delete them first.")
    with _context(actor, source):
        gateway.delete_sms_customer(customer_id=customer_id)
    _save_rows(
        Brand, {customer_id: {}}, actor=actor, source=source, note="deleted at VI", gone=True
    )


def brand_otp_trigger(*, customer_id: str, actor: Actor, source: Source) -> Brand:
    """Ask VI to text the sole proprietor's mobile a one-time password (TriggerSMSOTP)."""
    with _context(actor, source):
        record = gateway.trigger_sms_otp(customer_id=customer_id)
        if record is None:
            record = gateway.check_sms_customer_status(customer_id=customer_id)
    _save_rows(
        Brand, {customer_id: _brand_values(record)}, actor=actor, source=source, note="OTP sent"
    )
    return Brand.objects.get(customer_id=customer_id)


def brand_status_check(*, customer_id: str, actor: Actor, source: Source) -> Brand:
    """Read the brand's verification state afresh (CheckSMSCustomerStatus)."""
    with _context(actor, source):
        record = gateway.check_sms_customer_status(customer_id=customer_id)
    _save_rows(
        Brand,
        {customer_id: _brand_values(record)},
        actor=actor,
        source=source,
        note="status checked",
    )
    return Brand.objects.get(customer_id=customer_id)


def brands_find_by_tag(*, tag: str, actor: Actor, source: Source) -> list[BrandRecord]:
    tag = (tag or "").strip()
    if not tag:
        raise ValidationError("Enter a tag.", code="required")
    with _context(actor, source):
        return gateway.get_sms_customers_by_tag(tag=tag)


# --- campaigns -------------------------------------------------------------------------------


def campaign_validate(
    *,
    customer_id: str,
    usecase_id: str,
    sub_usecase_ids: Sequence[str],
    display_name: str,
    description: str,
    sample_msg1: str,
    actor: Actor,
    source: Source,
) -> None:
    errors: dict[str, str] = {}
    for name, value in (
        ("display_name", display_name),
        ("description", description),
        ("sample_msg1", sample_msg1),
    ):
        if not (value or "").strip():
            errors[name] = "Required by VI."
    brand = Brand.objects.filter(customer_id=customer_id, gone_at__isnull=True).first()
    if brand is None:
        errors["customer_id"] = "Choose a brand."
    elif not brand.is_verified:
        errors["customer_id"] = (
            "The brand is not verified yet; VI accepts campaigns for verified brands only."
        )
    else:
        options = {
            option.usecase_id: option
            for option in usecase_options(customer_id=customer_id, actor=actor, source=source)
        }
        option = options.get(usecase_id)
        if option is None:
            errors["usecase_id"] = "VI does not offer this use case to this brand."
        elif not option.min_sub_usecases <= len(sub_usecase_ids) <= option.max_sub_usecases:
            errors["sub_usecase_ids"] = (
                f"{option.name} takes {option.min_sub_usecases} to {option.max_sub_usecases} sub use cases."
            )
        elif any(sub not in option.sub_usecases for sub in sub_usecase_ids):
            errors["sub_usecase_ids"] = "Choose sub use cases from VI's list."
    if errors:
        raise ValidationError({name: ValidationError(message) for name, message in errors.items()})


def campaign_create(
    *,
    customer_id: str,
    display_name: str,
    description: str,
    usecase_id: str,
    sample_msg1: str,
    sub_usecase_ids: Sequence[str] = (),
    sample_msg2: str = "",
    message_flow: str = "",
    vertical: str = "",
    flags: Mapping[str, bool] | None = None,
    actor: Actor,
    source: Source,
) -> Campaign:
    campaign_validate(
        customer_id=customer_id, usecase_id=usecase_id, sub_usecase_ids=sub_usecase_ids,
        display_name=display_name, description=description, sample_msg1=sample_msg1, actor=actor,
        source=source,
    )  # fmt: skip
    with _context(actor, source):
        record = gateway.create_sms_campaign(
            customer_id=customer_id, display_name=display_name.strip(), description=description.strip(),
            usecase_id=usecase_id, sub_usecase_ids=sub_usecase_ids, vertical=vertical,
            message_flow=message_flow, sample_msg1=sample_msg1.strip(), sample_msg2=sample_msg2.strip(), flags=flags,
        )  # fmt: skip
    _save_rows(
        Campaign,
        {record.campaign_id: _campaign_values(record)},
        actor=actor,
        source=source,
        note="created",
    )
    return Campaign.objects.get(campaign_id=record.campaign_id)


UPDATABLE_TEXTS = (
    "description",
    "message_flow",
    "help_message",
    "opt_out_message",
    "sample_msg1",
    "sample_msg2",
)


def campaign_update(
    *, campaign_id: str, texts: Mapping[str, str], actor: Actor, source: Source
) -> Campaign:
    """Change a campaign's texts (UpdateSMSCampaign); VI sends it back to review."""
    texts = {name: (texts.get(name) or "").strip() for name in UPDATABLE_TEXTS}
    if not any(texts.values()):
        raise ValidationError("Change at least one text.", code="nothing")
    with _context(actor, source):
        record = gateway.update_sms_campaign(campaign_id=campaign_id, texts=texts)
    _save_rows(
        Campaign,
        {campaign_id: _campaign_values(record, rejection_reasons=[])},
        actor=actor,
        source=source,
        note="edited; back to review",
    )
    return Campaign.objects.get(campaign_id=campaign_id)


def campaign_delete(*, campaign_id: str, actor: Actor, source: Source) -> list[str]:
    """Delete at VI (DeleteSMSCampaign); returns the numbers that lost messaging on it."""
    campaign = Campaign.objects.get(campaign_id=campaign_id)
    freed = sorted(
        set(campaign.tns)
        | set(SMSNumber.objects.filter(campaign_id=campaign_id).values_list("tn", flat=True))
    )
    with _context(actor, source):
        gateway.delete_sms_campaign(campaign_id=campaign_id)
    note = f"campaign {campaign_id} deleted"
    mirrored = set(SMSNumber.objects.filter(tn__in=freed).values_list("tn", flat=True))
    # The numbers that lost their campaign and the campaign itself change as one unit.
    with transaction.atomic():
        _save_rows(
            SMSNumber,
            {tn: {"campaign_id": ""} for tn in freed if tn in mirrored},
            actor=actor,
            source=source,
            note=note,
        )
        _save_rows(
            Campaign,
            {campaign_id: {"status": CampaignStatus.DELETED, "tns": []}},
            actor=actor,
            source=source,
            note="deleted at VI",
            gone=True,
        )
    return freed


def external_campaign_register(
    *, campaign_id: str, display_name: str = "", actor: Actor, source: Source
) -> Campaign:
    """Bring a campaign registered at TCR through another partner (RegisterExternalSMSCampaign)."""
    campaign_id = (campaign_id or "").strip().upper()
    if not _TCR_CAMPAIGN_ID.match(campaign_id):
        raise ValidationError(
            {"campaign_id": "A TCR campaign ID is C and 6 letters or digits, e.g. CABC123."}
        )
    with _context(actor, source):
        record = gateway.register_external_sms_campaign(
            campaign_id=campaign_id, display_name=display_name.strip()
        )
    _save_rows(
        Campaign,
        {record.campaign_id: _campaign_values(record)},
        actor=actor,
        source=source,
        note="external campaign registered",
    )
    return Campaign.objects.get(campaign_id=record.campaign_id)


def external_campaign_resubmit(*, campaign_id: str, actor: Actor, source: Source) -> Campaign:
    with _context(actor, source):
        record = gateway.resubmit_external_sms_campaign(campaign_id=campaign_id)
    _save_rows(
        Campaign,
        {campaign_id: _campaign_values(record, rejection_reasons=[])},
        actor=actor,
        source=source,
        note="resubmitted for review",
    )
    return Campaign.objects.get(campaign_id=campaign_id)


def rejection_reasons_refresh(*, campaign_id: str, actor: Actor, source: Source) -> list[str]:
    with _context(actor, source):
        reasons = gateway.get_campaign_rejection_reasons(campaign_id=campaign_id)
    _save_rows(
        Campaign,
        {campaign_id: {"rejection_reasons": reasons}},
        actor=actor,
        source=source,
        note="rejection reasons read",
    )
    return reasons


def sms_legacy_config(
    *, tn: str, enable: bool, forward_email: str = "", actor: Actor, source: Source
) -> SMSNumber:
    """VI's deprecated ConfigSMS, for scripts that still speak it; the pages use destinations."""
    tn = normalize_tn(tn)
    with _context(actor, source):
        setting = gateway.config_sms(tn=tn, enable=enable, forward_email=forward_email)
    _save_rows(
        SMSNumber, {tn: _setting_values(setting)}, actor=actor, source=source, note="ConfigSMS"
    )
    return SMSNumber.objects.get(tn=tn)


# --- the "messaging" sync kind ---------------------------------------------------------------


def messaging_sync(*, run: SyncContext, confirmed: bool = False) -> None:
    """Brands, campaigns (with rejection reasons), every number's SMS state, the form lists.

    A step VI refuses, or whose shrink is held for confirmation, does not stop the others;
    the first such problem is raised at the end so the run says so.
    """
    problems: list[Exception] = []

    def step(work: Callable[[], Any]) -> None:
        try:
            work()
        except (ShrinkHeld, ProviderRejected) as problem:
            problems.append(problem)

    with provider_context(actor=run.actor, source=Source.SYNC):
        step(lambda: _sync_brands(run))
        step(lambda: _sync_campaigns(run))
        step(lambda: _sync_numbers(run))
        step(lambda: _sync_choices())
    if problems:
        raise problems[0]


def _sync_brands(run: SyncContext) -> None:
    requested_at = timezone.now()
    brands = []
    for record in gateway.get_sms_customers():
        if record.verification_status in UNSETTLED_VERIFICATION:
            # The list may lag the vetting; the status call is the authority on it.
            record = gateway.check_sms_customer_status(customer_id=record.customer_id)
        brands.append(record)
    records = ({"customer_id": brand.customer_id, **_brand_values(brand)} for brand in brands)
    reconcile(run=run, model=Brand, records=records, step="brands", audit_requested_at=requested_at)


def _sync_campaigns(run: SyncContext) -> None:
    requested_at = timezone.now()
    campaigns = gateway.get_sms_campaigns()
    records = []
    for record in campaigns:
        reasons = (
            gateway.get_campaign_rejection_reasons(campaign_id=record.campaign_id)
            if record.status == CampaignStatus.REJECTED
            else []
        )
        records.append(
            {
                "campaign_id": record.campaign_id,
                **_campaign_values(record, rejection_reasons=reasons),
            }
        )
    reconcile(
        run=run, model=Campaign, records=records, step="campaigns", audit_requested_at=requested_at
    )


def _sync_numbers(run: SyncContext) -> None:
    records = ({"tn": setting.tn, **_setting_values(setting)} for setting in gateway.audit_sms())
    reconcile(run=run, model=SMSNumber, records=records, step="sms_numbers")


def _sync_choices() -> None:
    for kind, choices in gateway.get_sms_enumerations().items():
        _cache(kind, [asdict(choice) for choice in choices])
    for customer_id in Brand.objects.filter(
        gone_at__isnull=True, verification_status="VERIFIED"
    ).values_list("customer_id", flat=True):
        options = gateway.get_sms_usecase_options(customer_id=customer_id)
        _cache(
            f"USECASES:{customer_id}",
            [{**asdict(option), "sub_usecases": list(option.sub_usecases)} for option in options],
        )
