//! Applying a stored file edit to its file (the merge rule is `xiafang_core::file_edit::merge`)
//! and reading the conflicts it left.

use super::feed::next_position;
use super::{Db, DbError, Result, parse, to_json};
use chrono::{DateTime, Utc};
use sqlx::AnyConnection;
use xiafang_core::file_edit::{EditableField, FileConflict, FileEdit, Register, merge};
use xiafang_core::{FileId, PetitionerFile, Record};

/// Merges `edit` (carried by the just-stored `record`) into its file, in the caller's
/// transaction: the file's new state gets the next feed position, a lost value is kept.
pub(crate) async fn apply_file_edit(
    conn: &mut AnyConnection,
    record: &Record,
    edit: &FileEdit,
) -> Result<()> {
    let file_id = &record.file_id.0;
    let data: String = sqlx::query_scalar("SELECT data FROM files WHERE id = $1")
        .bind(file_id)
        .fetch_one(&mut *conn)
        .await?;
    let mut file: PetitionerFile = parse(&data, "files")?;
    let stored: Option<String> =
        sqlx::query_scalar("SELECT register FROM file_fields WHERE file_id = $1 AND field = $2")
            .bind(file_id)
            .bind(edit.field.key())
            .fetch_optional(&mut *conn)
            .await?;
    let current = match stored {
        Some(json) => parse::<Register>(&json, "file_fields")?,
        None => Register {
            value: file.field_value(edit.field),
            set_by: None,
        },
    };
    let merged = merge(&current, edit, record.id);
    sqlx::query(
        "INSERT INTO file_fields (file_id, field, register) VALUES ($1, $2, $3) \
         ON CONFLICT (file_id, field) DO UPDATE SET register = excluded.register",
    )
    .bind(file_id)
    .bind(edit.field.key())
    .bind(to_json(&merged.register))
    .execute(&mut *conn)
    .await?;
    if merged.register.value != current.value {
        file.set_field(edit.field, &merged.register.value);
        let position = next_position(&mut *conn).await?;
        sqlx::query("UPDATE files SET data = $1, feed_seq = $2 WHERE id = $3")
            .bind(to_json(&file))
            .bind(position)
            .bind(file_id)
            .execute(&mut *conn)
            .await?;
    }
    if let Some(lost) = merged.lost {
        sqlx::query(
            "INSERT INTO file_conflicts (id, file_id, field, kept_value, lost_value, \
             lost_record_id, decided_by, at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(uuid::Uuid::new_v4().to_string())
        .bind(file_id)
        .bind(edit.field.key())
        .bind(&merged.register.value)
        .bind(&lost.value)
        .bind(lost.record.map(|r| r.to_string()))
        .bind(record.id.to_string())
        .bind(Utc::now().to_rfc3339())
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

impl Db {
    /// Values that lost to concurrent edits on a file, oldest first.
    pub async fn conflicts(&self, file: &FileId) -> Result<Vec<FileConflict>> {
        let rows = sqlx::query_as::<_, ConflictRow>(
            "SELECT field, kept_value, lost_value, lost_record_id, decided_by, at \
             FROM file_conflicts WHERE file_id = $1 ORDER BY at, id",
        )
        .bind(&file.0)
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter().map(ConflictRow::into_conflict).collect()
    }
}

#[derive(sqlx::FromRow)]
struct ConflictRow {
    field: String,
    kept_value: String,
    lost_value: String,
    lost_record_id: Option<String>,
    decided_by: String,
    at: String,
}

impl ConflictRow {
    fn into_conflict(self) -> Result<FileConflict> {
        let r = self;
        let corrupt = |what: &str| DbError::Corrupt {
            table: "file_conflicts",
            source: serde::de::Error::custom(what),
        };
        let id = |s: String| s.parse().map_err(|_| corrupt("record id"));
        let field = EditableField::from_key(&r.field).ok_or_else(|| corrupt("field"))?;
        // An ID number that lost or was kept is shown masked, like everywhere but the edit form.
        Ok(FileConflict {
            field,
            kept: field.shown(&r.kept_value),
            lost: field.shown(&r.lost_value),
            lost_record: r.lost_record_id.map(id).transpose()?,
            decided_by: id(r.decided_by)?,
            at: DateTime::parse_from_rfc3339(&r.at)
                .map_err(|_| corrupt("at"))?
                .with_timezone(&Utc),
        })
    }
}
