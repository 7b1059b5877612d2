//! Searching the files an account may read (`GET /api/search`).
//!
//! SQL narrows the candidates to readable files whose name, village, address or request contains
//! the term; `xiafang_core::search::matched_fields` then decides, so both databases give the same
//! answer even where their `LOWER` differs (PostgreSQL may fold more than ASCII).

use super::files::{FILE_PLACES, PETITIONER, readable, reads_jurisdiction};
use super::{Backend, Db, Result, parse};
use xiafang_core::PetitionerFile;
use xiafang_core::account::Account;
use xiafang_core::search::{MAX_SEARCH_HITS, SearchHit, fold, matched_fields};

/// Candidates read at most: matches beyond `MAX_SEARCH_HITS` are not shown anyway, and the
/// margin covers candidates the exact rule turns away.
const MAX_CANDIDATES: i64 = 4 * MAX_SEARCH_HITS as i64;

/// A text field inside the file's JSON; the only spelling the two databases do not share.
fn json_text(backend: Backend, field: &str) -> String {
    match backend {
        Backend::Sqlite => format!("json_extract(f.data, '$.{field}')"),
        Backend::Postgres => format!(
            "(CAST(f.data AS JSONB) #>> '{{{}}}')",
            field.replace('.', ",")
        ),
    }
}

/// `term` as a LIKE pattern matching it anywhere, with its own `%`, `_` and the escape character
/// `!` taken literally (`ESCAPE '!'`).
fn contains_pattern(term: &str) -> String {
    let mut pattern = String::from("%");
    for c in fold(term).chars() {
        if matches!(c, '%' | '_' | '!') {
            pattern.push('!');
        }
        pattern.push(c);
    }
    pattern.push('%');
    pattern
}

impl Db {
    /// The readable files where `term` occurs, by petitioner name; at most `MAX_SEARCH_HITS`
    /// (when more than `MAX_CANDIDATES` files contain it, which ones are shown is up to SQL).
    pub async fn search(&self, account: &Account, term: &str) -> Result<Vec<SearchHit>> {
        let like = |expr: &str| format!("LOWER({expr}) LIKE $3 ESCAPE '!'");
        let sql = format!(
            "SELECT f.data, v.name AS village FROM {FILE_PLACES} WHERE {} AND {PETITIONER} \
             AND ({} OR {} OR {} OR {}) \
             ORDER BY f.name, f.id LIMIT {MAX_CANDIDATES}",
            readable(),
            like("f.name"),
            like("v.name"),
            like(&json_text(self.backend, "address")),
            like(&json_text(self.backend, "matter.summary")),
        );
        let rows = sqlx::query_as::<_, (String, String)>(&sql)
            .bind(&account.id.0)
            .bind(reads_jurisdiction(account))
            .bind(contains_pattern(term))
            .fetch_all(&self.pool)
            .await?;
        let mut hits = Vec::new();
        for (data, village) in rows {
            let file: PetitionerFile = parse(&data, "files")?;
            let matched = matched_fields(&file, &village, term);
            if !matched.is_empty() {
                hits.push(SearchHit {
                    file_id: file.id,
                    name: file.name,
                    village,
                    matched,
                });
            }
        }
        // Sorted here, not by SQL, whose order depends on each database's collation.
        hits.sort_by_cached_key(|h| (fold(&h.name), h.file_id.clone()));
        hits.truncate(MAX_SEARCH_HITS);
        Ok(hits)
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn wildcards_in_a_term_are_taken_literally() {
        assert_eq!(super::contains_pattern("50%_Ab!"), "%50!%!_ab!!%");
    }
}
