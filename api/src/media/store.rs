//! Where photo files live. The database is the default: nothing to set up, and every
//! instance on a shared PostgreSQL serves every photo. A shop with many photos names a
//! bucket (`s3://…`, any S3-compatible service, credentials from the usual `AWS_*`
//! variables) or a directory (`file:///…`) in `AISLE_MEDIA_STORE`.

use crate::platform::{clock, db::Db, error::ApiError};
use object_store::{path::Path, ObjectStore, PutPayload};
use std::sync::Arc;

pub enum MediaStore {
    Database(Db),
    Objects { store: Arc<dyn ObjectStore>, prefix: Path },
}

impl MediaStore {
    /// The store `AISLE_MEDIA_STORE` names, or the database when it names none.
    pub fn from_setting(db: &Db, setting: Option<&str>) -> Result<MediaStore, String> {
        let Some(raw) = setting.map(str::trim).filter(|s| !s.is_empty()) else {
            return Ok(MediaStore::Database(db.clone()));
        };
        let bad = |why: String| format!("AISLE_MEDIA_STORE: {why} (expected s3://bucket/prefix or file:///directory, not {raw:?})");
        let url = url::Url::parse(raw).map_err(|e| bad(e.to_string()))?;
        match url.scheme() {
            "s3" => {
                let store = object_store::aws::AmazonS3Builder::from_env().with_url(raw).build().map_err(|e| bad(e.to_string()))?;
                let prefix = Path::from(url.path().trim_matches('/'));
                Ok(MediaStore::Objects { store: Arc::new(store), prefix })
            }
            "file" => {
                let dir = url.to_file_path().map_err(|()| bad("not a directory path".into()))?;
                std::fs::create_dir_all(&dir).map_err(|e| bad(format!("cannot create {}: {e}", dir.display())))?;
                let store = object_store::local::LocalFileSystem::new_with_prefix(&dir).map_err(|e| bad(e.to_string()))?;
                Ok(MediaStore::Objects { store: Arc::new(store), prefix: Path::default() })
            }
            other => Err(bad(format!("the scheme {other:?} is not one Aisle stores photos in"))),
        }
    }

    /// Writes one file. Writing a name that exists is harmless: same name, same bytes.
    pub async fn put(&self, name: &str, content_type: &str, bytes: Vec<u8>) -> Result<(), ApiError> {
        match self {
            MediaStore::Database(db) => {
                sqlx::query("INSERT INTO media_files (name, content_type, bytes, created_at) VALUES ($1, $2, $3, $4) ON CONFLICT (name) DO NOTHING")
                    .bind(name)
                    .bind(content_type)
                    .bind(bytes)
                    .bind(clock::now())
                    .execute(db)
                    .await?;
                Ok(())
            }
            MediaStore::Objects { store, prefix } => {
                store.put(&prefix.child(name), PutPayload::from(bytes)).await.map_err(|e| ApiError::Unavailable(format!("cannot store the photo: {e}")))?;
                Ok(())
            }
        }
    }

    /// One file's bytes, or `None` when there is no such file.
    pub async fn get(&self, name: &str) -> Result<Option<Vec<u8>>, ApiError> {
        match self {
            MediaStore::Database(db) => Ok(sqlx::query_scalar("SELECT bytes FROM media_files WHERE name = $1").bind(name).fetch_optional(db).await?),
            MediaStore::Objects { store, prefix } => match store.get(&prefix.child(name)).await {
                Ok(found) => Ok(Some(found.bytes().await.map_err(|e| ApiError::Unavailable(format!("cannot read the photo: {e}")))?.to_vec())),
                Err(object_store::Error::NotFound { .. }) => Ok(None),
                Err(e) => Err(ApiError::Unavailable(format!("cannot read the photo: {e}"))),
            },
        }
    }
}
