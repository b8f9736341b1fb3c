"""The embedded DuckDB store of openFDA data: schema, reference seeding, connections.

Event tables carry `rid`, the numeric value of mdr_report_key (always digits in MAUDE), and problem
terms are stored once in term_vocab (with their IMDRF Annex A code) and referenced by id: joins and
group-bys on integers are several times faster than on strings at millions of rows. event_device
repeats date_received/event_type so a product-code scope needs no join. Views product_problem and
patient_problem show the terms.
No PRIMARY KEY constraints on purpose: a follow-up report replaces an earlier one with the same
key inside one transaction (delete + insert), which DuckDB's eager key checks would refuse; the
importer enforces one row per key itself.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from healthpm.errors import DataFileError, NotFoundError
from healthpm.fda import reference
from healthpm.fda.datasets import STOP_WORDS

SCHEMA_VERSION = "2"

DDL = """
CREATE SEQUENCE IF NOT EXISTS imported_file_id START 1;
CREATE TABLE IF NOT EXISTS store_meta (key VARCHAR, value VARCHAR);
CREATE TABLE IF NOT EXISTS imported_file (
    file_id INTEGER, dataset VARCHAR, name VARCHAR, sha256 VARCHAR, records INTEGER,
    skipped INTEGER, synthetic BOOLEAN, last_updated VARCHAR, imported_at TIMESTAMP,
    path VARCHAR, quarantined INTEGER, bad_dates INTEGER, bad_date_fields VARCHAR,
    older_versions INTEGER, left_out INTEGER, kept_real INTEGER, export_date VARCHAR);
CREATE TABLE IF NOT EXISTS event (
    mdr_report_key VARCHAR, report_number VARCHAR, event_key VARCHAR, date_received DATE,
    date_of_event DATE, event_type VARCHAR, adverse_event_flag VARCHAR,
    product_problem_flag VARCHAR, report_source_code VARCHAR, pma_pmn_number VARCHAR,
    file_id INTEGER, rid BIGINT, version VARCHAR);
CREATE TABLE IF NOT EXISTS event_device (
    mdr_report_key VARCHAR, device_sequence_number VARCHAR, product_code VARCHAR,
    brand_name VARCHAR, generic_name VARCHAR, manufacturer_name VARCHAR, model_number VARCHAR,
    udi_di VARCHAR, device_class VARCHAR, rid BIGINT, date_received DATE, event_type VARCHAR,
    file_id INTEGER);
CREATE SEQUENCE IF NOT EXISTS term_id_seq START 1;
CREATE TABLE IF NOT EXISTS term_vocab (
    term_id INTEGER, term VARCHAR, term_key VARCHAR, imdrf_a_code VARCHAR,
    level1_code VARCHAR);
CREATE TABLE IF NOT EXISTS event_product_problem (
    mdr_report_key VARCHAR, term_id INTEGER, rid BIGINT);
CREATE TABLE IF NOT EXISTS event_patient_problem (
    mdr_report_key VARCHAR, patient_sequence_number VARCHAR, term_id INTEGER, rid BIGINT);
CREATE TABLE IF NOT EXISTS event_patient_outcome (
    mdr_report_key VARCHAR, patient_sequence_number VARCHAR, outcome VARCHAR, rid BIGINT);
CREATE TABLE IF NOT EXISTS narrative (
    mdr_report_key VARCHAR, mdr_text_key VARCHAR, text_type_code VARCHAR,
    patient_sequence_number VARCHAR, text VARCHAR, rid BIGINT);
CREATE TABLE IF NOT EXISTS narrative_word (word VARCHAR, rid BIGINT);
CREATE TABLE IF NOT EXISTS pma (
    pma_key VARCHAR, pma_number VARCHAR, supplement_number VARCHAR, applicant VARCHAR,
    trade_name VARCHAR, generic_name VARCHAR, product_code VARCHAR, advisory_committee VARCHAR,
    supplement_type VARCHAR, supplement_reason VARCHAR, date_received DATE, decision_date DATE,
    decision_code VARCHAR, ao_statement VARCHAR, file_id INTEGER);
CREATE TABLE IF NOT EXISTS quarantine (
    file_id INTEGER, dataset VARCHAR, file_name VARCHAR, record_key VARCHAR, reason VARCHAR,
    record VARCHAR);
CREATE TABLE IF NOT EXISTS clearance (
    k_number VARCHAR, product_code VARCHAR, date_received DATE, decision_date DATE,
    decision_code VARCHAR, decision_description VARCHAR, clearance_type VARCHAR,
    advisory_committee VARCHAR, review_advisory_committee VARCHAR, applicant VARCHAR,
    device_name VARCHAR, statement_or_summary VARCHAR, third_party_flag VARCHAR,
    expedited_review_flag VARCHAR, device_class VARCHAR, regulation_number VARCHAR,
    file_id INTEGER);
CREATE TABLE IF NOT EXISTS product_code (
    product_code VARCHAR, device_name VARCHAR, device_class VARCHAR, regulation_number VARCHAR,
    review_panel VARCHAR, medical_specialty VARCHAR, submission_type_id VARCHAR,
    implant_flag VARCHAR, life_sustain_support_flag VARCHAR, source VARCHAR, file_id INTEGER);
CREATE TABLE IF NOT EXISTS recall (
    product_res_number VARCHAR, res_event_number VARCHAR, cfres_id VARCHAR,
    product_code VARCHAR, recall_status VARCHAR, event_date_initiated DATE,
    event_date_posted DATE, event_date_terminated DATE, reason_for_recall VARCHAR,
    root_cause_description VARCHAR, recalling_firm VARCHAR, product_description VARCHAR,
    k_numbers VARCHAR[], file_id INTEGER);
CREATE TABLE IF NOT EXISTS enforcement (
    recall_number VARCHAR, event_id VARCHAR, classification VARCHAR, status VARCHAR,
    recalling_firm VARCHAR, reason_for_recall VARCHAR, product_description VARCHAR,
    recall_initiation_date DATE, report_date DATE, center_classification_date DATE,
    termination_date DATE, file_id INTEGER);
CREATE TABLE IF NOT EXISTS imdrf_term (
    annex VARCHAR, code VARCHAR, term VARCHAR, term_lower VARCHAR, level INTEGER,
    level1_code VARCHAR);
CREATE OR REPLACE VIEW product_problem AS
    SELECT p.mdr_report_key, v.term, v.imdrf_a_code, v.level1_code
    FROM event_product_problem p JOIN term_vocab v USING (term_id);
CREATE OR REPLACE VIEW patient_problem AS
    SELECT p.mdr_report_key, p.patient_sequence_number, v.term
    FROM event_patient_problem p JOIN term_vocab v USING (term_id);
CREATE OR REPLACE VIEW recall_with_class AS
    SELECT r.*, e.classification, e.status AS enforcement_status
    FROM recall r LEFT JOIN enforcement e ON e.recall_number = r.product_res_number;
"""
# Stores made by schema version 1 get the columns added since (DuckDB appends them at the end).
MIGRATE_1_TO_2 = """
ALTER TABLE imported_file ADD COLUMN IF NOT EXISTS path VARCHAR;
ALTER TABLE imported_file ADD COLUMN IF NOT EXISTS quarantined INTEGER;
ALTER TABLE imported_file ADD COLUMN IF NOT EXISTS bad_dates INTEGER;
ALTER TABLE imported_file ADD COLUMN IF NOT EXISTS bad_date_fields VARCHAR;
ALTER TABLE imported_file ADD COLUMN IF NOT EXISTS older_versions INTEGER;
ALTER TABLE imported_file ADD COLUMN IF NOT EXISTS left_out INTEGER;
ALTER TABLE imported_file ADD COLUMN IF NOT EXISTS kept_real INTEGER;
ALTER TABLE imported_file ADD COLUMN IF NOT EXISTS export_date VARCHAR;
ALTER TABLE event ADD COLUMN IF NOT EXISTS version VARCHAR;
ALTER TABLE term_vocab ADD COLUMN IF NOT EXISTS term_key VARCHAR;
UPDATE term_vocab SET term_key = lower(trim(term)) WHERE term_key IS NULL;
"""
BACKFILL_WORDS = """
INSERT INTO narrative_word SELECT DISTINCT word, rid FROM (SELECT rid,
    unnest(regexp_split_to_array(lower(text), '[^a-z0-9]+')) AS word FROM narrative)
WHERE length(word) >= 3 AND NOT list_contains($stop_words, word)
    AND rid NOT IN (SELECT DISTINCT rid FROM narrative_word)
ORDER BY word
"""


def connect(path: Path) -> duckdb.DuckDBPyConnection:
    """Open (creating if needed) the store at path, with schema and reference tables in place."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        con = duckdb.connect(str(path))
    except duckdb.Error as exc:
        raise DataFileError(f"cannot open the FDA store {path}: {exc}") from exc
    ensure_schema(con)
    return con


def open_existing(path: Path) -> duckdb.DuckDBPyConnection:
    """Open the store for queries; a missing store is a NotFoundError with the next step."""
    if not path.exists():
        raise NotFoundError(
            f"no FDA data at {path}: run `healthpm fda demo` (synthetic) "
            "or `healthpm fda download` / `healthpm fda import FILE`"
        )
    return connect(path)


def ensure_schema(con: duckdb.DuckDBPyConnection) -> None:
    """Create missing tables and seed the reference tables once."""
    row = _meta_version(con)
    if row == SCHEMA_VERSION:
        return
    con.begin()
    try:
        if row is not None:
            con.execute(MIGRATE_1_TO_2)
        con.execute(DDL)
        if row is not None:  # narratives imported before the word index existed
            con.execute(BACKFILL_WORDS, {"stop_words": list(STOP_WORDS)})
        _seed_reference(con)
        con.execute("DELETE FROM store_meta WHERE key = 'schema_version'")
        con.execute("INSERT INTO store_meta VALUES ('schema_version', ?)", [SCHEMA_VERSION])
        con.commit()
    except Exception:
        con.rollback()
        raise


def _meta_version(con: duckdb.DuckDBPyConnection) -> str | None:
    try:
        row = con.execute("SELECT value FROM store_meta WHERE key = 'schema_version'").fetchone()
    except duckdb.CatalogException:
        return None
    return str(row[0]) if row else None


def _seed_reference(con: duckdb.DuckDBPyConnection) -> None:
    if _count(con, "product_code") == 0:
        con.execute(
            "INSERT INTO product_code SELECT product_code, device_name, device_class,"
            " NULLIF(regulation_number, ''), review_panel, NULLIF(medical_specialty, ''),"
            " submission_type_id, implant_flag, life_sustain_support_flag, ?, NULL"
            " FROM read_csv(?, header = true, all_varchar = true)",
            [reference.CLASSIFICATION_SOURCE, str(reference.CLASSIFICATION_CSV)],
        )
    if _count(con, "imdrf_term") == 0:
        for annex, path in (("A", reference.ANNEX_A_CSV), ("E", reference.ANNEX_E_CSV)):
            con.execute(
                "INSERT INTO imdrf_term SELECT ?, code, term, lower(term), level::INTEGER,"
                " level1_code FROM read_csv(?, header = true, all_varchar = true)",
                [annex, str(path)],
            )


def _count(con: duckdb.DuckDBPyConnection, table: str) -> int:
    row = con.execute(f"SELECT count(*) FROM {table}").fetchone()
    return int(row[0]) if row else 0
