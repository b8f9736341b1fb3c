"""Per-dataset import specs: which JSON fields are read, the key, and how rows reach the tables.

Field names are openFDA's exactly. Dates are parsed per dataset because the formats differ:
device/event and device/enforcement use YYYYMMDD, device/510k, device/recall and device/pma
YYYY-MM-DD. Every statement reads the staging table `stage` (one row per record, newest record
per key), whose column `_key` holds the normalized key (trimmed, upper case; the number for
mdr_report_key), so " lzg" and "LZG" or "Z-0003-2024 " and "Z-0003-2024" are one key.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from healthpm.errors import DataFileError

DATASETS = (
    "device-event",
    "device-510k",
    "device-pma",
    "device-classification",
    "device-recall",
    "device-enforcement",
)
_NAME = re.compile(r"(device-(?:event|510k|pma|classification|recall|enforcement))-\d{4}-of-\d{4}")

_OPENFDA = "STRUCT(device_class VARCHAR, device_name VARCHAR, regulation_number VARCHAR)"
_DEVICE = (
    "STRUCT(device_sequence_number VARCHAR, device_report_product_code VARCHAR,"
    " brand_name VARCHAR, generic_name VARCHAR, manufacturer_d_name VARCHAR,"
    f" model_number VARCHAR, udi_di VARCHAR, openfda {_OPENFDA})[]"
)
_PATIENT = (
    "STRUCT(patient_sequence_number VARCHAR, patient_problems VARCHAR[],"
    " sequence_number_outcome VARCHAR[])[]"
)
_TEXT = (
    "STRUCT(mdr_text_key VARCHAR, text_type_code VARCHAR, patient_sequence_number VARCHAR,"
    " text VARCHAR)[]"
)
# Narrative words kept in the search index: letters/digits, 3+ characters, no stop words.
STOP_WORDS = (
    "the",
    "and",
    "was",
    "that",
    "with",
    "for",
    "this",
    "were",
    "from",
    "not",
    "has",
    "had",
    "have",
    "are",
    "but",
    "which",
    "there",
    "been",
    "its",
)


def _ymd(col: str) -> str:
    return f"try_strptime(NULLIF(trim({col}), ''), '%Y%m%d')::DATE"


def _iso(col: str) -> str:
    return f"try_strptime(NULLIF(trim({col}), ''), '%Y-%m-%d')::DATE"


def _norm(col: str) -> str:
    return f"NULLIF(upper(trim({col})), '')"


def _varchars(*names: str) -> dict[str, str]:
    return dict.fromkeys(names, "VARCHAR")


@dataclass(frozen=True)
class DatasetSpec:
    """How one openFDA dataset is read and stored."""

    name: str
    key: str  # the JSON field holding the record's key (named in messages)
    key_sql: str  # normalized key over the raw record columns -> stage._key
    columns: dict[str, str]
    tables: tuple[str, ...]  # every table holding rows of this dataset, keyed by `key` column
    key_columns: tuple[str, ...]  # the key column's name in each of those tables
    inserts: tuple[str, ...]
    dates: dict[str, str] = field(default_factory=dict)  # JSON date field -> "ymd" | "iso"
    since_field: str = ""  # the date `--since` filters on when the whole file is one partition
    version_sql: str = ""  # newer-version order of a record (follow-ups); stored as `version`
    signature: tuple[str, ...] = ()  # fields only this dataset has: none present = wrong file

    def columns_sql(self) -> str:
        """The `columns` argument of DuckDB's read_json."""
        return "{" + ", ".join(f"'{k}': '{v}'" for k, v in self.columns.items()) + "}"

    def parsed(self, column: str) -> str:
        """SQL that parses a date field in this dataset's format."""
        return (_ymd if self.dates.get(column) == "ymd" else _iso)(column)


_EVENT_VERSION = (
    "greatest(coalesce(" + _ymd("date_manufacturer_received") + ", DATE '1900-01-01'),"
    " coalesce(" + _ymd("report_date") + ", DATE '1900-01-01'),"
    " coalesce(" + _ymd("date_received") + ", DATE '1900-01-01'))::VARCHAR || '/'"
    " || lpad(coalesce(len(list_filter(type_of_report,"
    " lambda t: lower(t) LIKE '%follow%')), 0)::VARCHAR, 3, '0')"
)

EVENT = DatasetSpec(
    signature=("report_number", "event_type", "device", "mdr_text", "product_problems"),
    name="device-event",
    key="mdr_report_key",
    key_sql="try_cast(trim(mdr_report_key) AS BIGINT)",
    columns={
        **_varchars(
            "mdr_report_key",
            "report_number",
            "event_key",
            "date_received",
            "date_of_event",
            "date_manufacturer_received",
            "report_date",
            "event_type",
            "adverse_event_flag",
            "product_problem_flag",
            "report_source_code",
            "pma_pmn_number",
        ),
        "type_of_report": "VARCHAR[]",
        "product_problems": "VARCHAR[]",
        "device": _DEVICE,
        "patient": _PATIENT,
        "mdr_text": _TEXT,
    },
    tables=(
        "event",
        "event_device",
        "event_product_problem",
        "event_patient_problem",
        "event_patient_outcome",
        "narrative",
        "narrative_word",
    ),
    key_columns=("rid",) * 7,
    dates={
        "date_received": "ymd",
        "date_of_event": "ymd",
        "date_manufacturer_received": "ymd",
        "report_date": "ymd",
    },
    version_sql=_EVENT_VERSION,
    inserts=(
        f"INSERT INTO event (mdr_report_key, report_number, event_key, date_received,"
        f" date_of_event, event_type, adverse_event_flag, product_problem_flag,"
        f" report_source_code, pma_pmn_number, file_id, rid, version) SELECT _key::VARCHAR,"
        f" report_number, event_key, {_ymd('date_received')}, {_ymd('date_of_event')},"
        f" event_type, adverse_event_flag, product_problem_flag, report_source_code,"
        f" upper(trim(pma_pmn_number)), $file_id, _key, _version FROM stage",
        "INSERT INTO event_device SELECT _key::VARCHAR, trim(d.device_sequence_number),"
        " upper(trim(d.device_report_product_code)), trim(d.brand_name), d.generic_name,"
        " trim(d.manufacturer_d_name), d.model_number, d.udi_di, d.openfda.device_class, _key,"
        f" {_ymd('date_received')}, event_type, $file_id FROM (SELECT _key, date_received,"
        " event_type, unnest(device) AS d FROM stage)",
        # each term once, compared without case or surrounding space; the IMDRF spelling wins
        "INSERT INTO term_vocab (term_id, term, term_key, imdrf_a_code, level1_code)"
        " SELECT nextval('term_id_seq'), coalesce(any_value(i.term),"
        " min(t.term)), t.term_key, any_value(i.code), any_value(i.level1_code) FROM"
        " (SELECT trim(term) AS term, lower(trim(term)) AS term_key FROM (SELECT"
        " unnest(product_problems) AS term FROM stage UNION ALL SELECT unnest(p.patient_problems)"
        " FROM (SELECT unnest(patient) AS p FROM stage)) WHERE NULLIF(trim(term), '') IS NOT NULL)"
        " t LEFT JOIN imdrf_term i ON i.annex = 'A' AND i.term_lower = t.term_key"
        " WHERE t.term_key NOT IN (SELECT term_key FROM term_vocab) GROUP BY t.term_key",
        "INSERT INTO event_product_problem SELECT DISTINCT s._key::VARCHAR, v.term_id, s._key"
        " FROM (SELECT _key, lower(trim(unnest(product_problems))) AS term_key FROM stage) s"
        " JOIN term_vocab v USING (term_key)",
        "INSERT INTO event_patient_problem SELECT DISTINCT s._key::VARCHAR, s.seq, v.term_id,"
        " s._key FROM (SELECT _key, trim(p.patient_sequence_number) AS seq,"
        " lower(trim(unnest(p.patient_problems))) AS term_key FROM (SELECT _key, unnest(patient)"
        " AS p FROM stage)) s JOIN term_vocab v USING (term_key)",
        "INSERT INTO event_patient_outcome SELECT DISTINCT _key::VARCHAR, seq, outcome, _key FROM"
        " (SELECT _key, trim(p.patient_sequence_number) AS seq,"
        " NULLIF(upper(trim(unnest(p.sequence_number_outcome))), '') AS outcome"
        " FROM (SELECT _key, unnest(patient) AS p FROM stage)) WHERE outcome IS NOT NULL",
        "INSERT INTO narrative SELECT _key::VARCHAR, t.mdr_text_key, trim(t.text_type_code),"
        " t.patient_sequence_number, t.text, _key"
        " FROM (SELECT _key, unnest(mdr_text) AS t FROM stage)",
        "INSERT INTO narrative_word SELECT DISTINCT word, _key FROM (SELECT _key,"
        " unnest(regexp_split_to_array(lower(t.text), '[^a-z0-9]+')) AS word"
        " FROM (SELECT _key, unnest(mdr_text) AS t FROM stage))"
        " WHERE length(word) >= 3 AND NOT list_contains($stop_words, word)"
        # sorted per file: each row group then spans few words, so a search reads few of them
        " ORDER BY word",
    ),
)

CLEARANCE = DatasetSpec(
    signature=("k_number", "clearance_type", "statement_or_summary"),
    name="device-510k",
    key="k_number",
    key_sql=_norm("k_number"),
    columns={
        **_varchars(
            "k_number",
            "product_code",
            "date_received",
            "decision_date",
            "decision_code",
            "decision_description",
            "clearance_type",
            "advisory_committee",
            "review_advisory_committee",
            "applicant",
            "device_name",
            "statement_or_summary",
            "third_party_flag",
            "expedited_review_flag",
        ),
        "openfda": _OPENFDA,
    },
    tables=("clearance",),
    key_columns=("k_number",),
    dates={"date_received": "iso", "decision_date": "iso"},
    since_field="decision_date",
    inserts=(
        f"INSERT INTO clearance SELECT _key, {_norm('product_code')},"
        f" {_iso('date_received')}, {_iso('decision_date')}, decision_code,"
        f" decision_description, clearance_type, {_norm('advisory_committee')},"
        f" {_norm('review_advisory_committee')}, trim(applicant), device_name,"
        f" statement_or_summary, third_party_flag, expedited_review_flag, openfda.device_class,"
        f" openfda.regulation_number, $file_id FROM stage",
    ),
)

PMA = DatasetSpec(
    signature=("pma_number", "supplement_number", "supplement_type"),
    name="device-pma",
    key="pma_number",
    key_sql=(f"{_norm('pma_number')} || '/' || coalesce({_norm('supplement_number')}, 'ORIGINAL')"),
    columns=_varchars(
        "pma_number",
        "supplement_number",
        "applicant",
        "trade_name",
        "generic_name",
        "product_code",
        "advisory_committee",
        "supplement_type",
        "supplement_reason",
        "date_received",
        "decision_date",
        "decision_code",
        "ao_statement",
    ),
    tables=("pma",),
    key_columns=("pma_key",),
    dates={"date_received": "iso", "decision_date": "iso"},
    since_field="decision_date",
    inserts=(
        f"INSERT INTO pma SELECT _key, {_norm('pma_number')}, {_norm('supplement_number')},"
        f" trim(applicant), trade_name, generic_name, {_norm('product_code')},"
        f" {_norm('advisory_committee')}, supplement_type, supplement_reason,"
        f" {_iso('date_received')}, {_iso('decision_date')}, decision_code, ao_statement,"
        f" $file_id FROM stage",
    ),
)

CLASSIFICATION = DatasetSpec(
    signature=("device_class", "review_panel", "submission_type_id"),
    name="device-classification",
    key="product_code",
    key_sql=_norm("product_code"),
    columns=_varchars(
        "product_code",
        "device_name",
        "device_class",
        "regulation_number",
        "review_panel",
        "medical_specialty",
        "submission_type_id",
        "implant_flag",
        "life_sustain_support_flag",
    ),
    tables=("product_code",),
    key_columns=("product_code",),
    inserts=(
        "INSERT INTO product_code SELECT _key, device_name, device_class,"
        " NULLIF(trim(regulation_number), ''), upper(trim(review_panel)),"
        " NULLIF(upper(trim(medical_specialty)), ''), trim(submission_type_id), implant_flag,"
        " life_sustain_support_flag, $source, $file_id FROM stage",
    ),
)

RECALL = DatasetSpec(
    signature=("product_res_number", "res_event_number", "root_cause_description"),
    name="device-recall",
    key="product_res_number",
    key_sql=_norm("product_res_number"),
    columns={
        **_varchars(
            "product_res_number",
            "res_event_number",
            "cfres_id",
            "product_code",
            "recall_status",
            "event_date_initiated",
            "event_date_posted",
            "event_date_terminated",
            "reason_for_recall",
            "root_cause_description",
            "recalling_firm",
            "product_description",
        ),
        "k_numbers": "VARCHAR[]",
    },
    tables=("recall",),
    key_columns=("product_res_number",),
    dates={
        "event_date_initiated": "iso",
        "event_date_posted": "iso",
        "event_date_terminated": "iso",
    },
    since_field="event_date_initiated",
    inserts=(
        f"INSERT INTO recall SELECT _key, res_event_number, trim(cfres_id),"
        f" {_norm('product_code')}, recall_status, {_iso('event_date_initiated')},"
        f" {_iso('event_date_posted')}, {_iso('event_date_terminated')}, reason_for_recall,"
        f" NULLIF(trim(root_cause_description), ''), trim(recalling_firm), product_description,"
        f" list_transform(k_numbers, lambda k: upper(trim(k))), $file_id FROM stage",
    ),
)

ENFORCEMENT = DatasetSpec(
    signature=("recall_number", "classification", "center_classification_date"),
    name="device-enforcement",
    key="recall_number",
    key_sql=_norm("recall_number"),
    columns=_varchars(
        "recall_number",
        "event_id",
        "classification",
        "status",
        "recalling_firm",
        "reason_for_recall",
        "product_description",
        "recall_initiation_date",
        "report_date",
        "center_classification_date",
        "termination_date",
    ),
    tables=("enforcement",),
    key_columns=("recall_number",),
    dates={
        "recall_initiation_date": "ymd",
        "report_date": "ymd",
        "center_classification_date": "ymd",
        "termination_date": "ymd",
    },
    since_field="recall_initiation_date",
    inserts=(
        f"INSERT INTO enforcement SELECT _key, event_id, trim(classification), status,"
        f" trim(recalling_firm), reason_for_recall, product_description,"
        f" {_ymd('recall_initiation_date')}, {_ymd('report_date')},"
        f" {_ymd('center_classification_date')}, {_ymd('termination_date')}, $file_id"
        f" FROM stage",
    ),
)

SPECS = {s.name: s for s in (EVENT, CLEARANCE, PMA, CLASSIFICATION, RECALL, ENFORCEMENT)}


def dataset_of(file_name: str) -> str:
    """The openFDA dataset a bulk file belongs to, read from its name."""
    match = _NAME.search(file_name)
    if not match:
        raise DataFileError(
            f"{file_name}: cannot tell the dataset from the name; expected an openFDA bulk name"
            " such as device-event-0001-of-0003.json.zip (or pass --dataset)"
        )
    return match.group(1)
