//! The index of the embedded skill, built by `build.rs` with the same schema and analyzer code
//! and compiled into the binary: a read-only tantivy directory over those bytes, and the catalog
//! that goes with them. Opening it copies nothing and starts no writer.

use std::io;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use tantivy::Directory;
use tantivy::directory::error::LockError;
use tantivy::directory::error::{DeleteError, OpenReadError, OpenWriteError};
use tantivy::directory::{DirectoryLock, FileHandle, Lock, WatchCallback, WatchHandle, WritePtr};

/// The files of the prebuilt index (tantivy's files and the catalog), by name.
static PREBUILT_FILES: &[(&str, &[u8])] = include!(concat!(env!("OUT_DIR"), "/prebuilt_index.rs"));

/// The prebuilt index's files, by name.
pub fn files() -> &'static [(&'static str, &'static [u8])] {
    PREBUILT_FILES
}

/// A tantivy directory over files held in memory for the life of the process; writes fail.
#[derive(Debug, Clone, Copy)]
pub struct StaticDirectory {
    files: &'static [(&'static str, &'static [u8])],
}

impl StaticDirectory {
    /// A directory over these `(name, bytes)` files.
    pub fn new(files: &'static [(&'static str, &'static [u8])]) -> Self {
        Self { files }
    }

    /// The bytes of a file, if the directory has it.
    pub fn file(&self, path: &Path) -> Option<&'static [u8]> {
        let name = path.to_str()?;
        self.files.iter().find(|(n, _)| *n == name).map(|(_, bytes)| *bytes)
    }
}

fn read_only() -> Arc<io::Error> {
    Arc::new(io::Error::new(
        io::ErrorKind::PermissionDenied,
        "the prebuilt index is read-only",
    ))
}

impl Directory for StaticDirectory {
    fn get_file_handle(&self, path: &Path) -> Result<Arc<dyn FileHandle>, OpenReadError> {
        match self.file(path) {
            Some(bytes) => Ok(Arc::new(bytes)),
            None => Err(OpenReadError::FileDoesNotExist(path.to_path_buf())),
        }
    }

    fn delete(&self, path: &Path) -> Result<(), DeleteError> {
        Err(DeleteError::IoError {
            io_error: read_only(),
            filepath: path.to_path_buf(),
        })
    }

    fn exists(&self, path: &Path) -> Result<bool, OpenReadError> {
        Ok(self.file(path).is_some())
    }

    fn open_write(&self, path: &Path) -> Result<WritePtr, OpenWriteError> {
        Err(OpenWriteError::IoError {
            io_error: read_only(),
            filepath: PathBuf::from(path),
        })
    }

    fn atomic_read(&self, path: &Path) -> Result<Vec<u8>, OpenReadError> {
        self.file(path)
            .map(<[u8]>::to_vec)
            .ok_or_else(|| OpenReadError::FileDoesNotExist(path.to_path_buf()))
    }

    fn atomic_write(&self, _path: &Path, _data: &[u8]) -> io::Result<()> {
        Err(io::Error::new(
            io::ErrorKind::PermissionDenied,
            "the prebuilt index is read-only",
        ))
    }

    fn sync_directory(&self) -> io::Result<()> {
        Ok(())
    }

    /// Nothing can write these files, so readers need no lock (a lock file cannot be written).
    fn acquire_lock(&self, _lock: &Lock) -> Result<DirectoryLock, LockError> {
        Ok(DirectoryLock::from(Box::new(())))
    }

    fn watch(&self, _callback: WatchCallback) -> tantivy::Result<WatchHandle> {
        Ok(WatchHandle::empty())
    }
}
