//! Reading files safely: only regular files are opened (a FIFO, a device or `/dev/zero` is
//! refused before it can block or stream forever), never more than a cap, and folder links
//! are followed only while they stay inside the project.

use std::io::Read;
use std::path::{Path, PathBuf};

/// Manifests, `poolcheck.toml` and baselines are small; anything larger is not one.
pub(crate) const MAX_CONFIG_BYTES: u64 = 16 << 20;

/// Why a file was not read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Unread {
    /// Missing, unreadable, or not a regular file: the reason, ready for a message.
    Refused(String),
    /// Larger than the cap: its size in bytes.
    TooBig(u64),
}

impl Unread {
    /// The reason as a message fragment ("is not a regular file", "is 12.0 MB, over ...").
    pub(crate) fn reason(&self, cap: u64) -> String {
        match self {
            Unread::Refused(r) => r.clone(),
            Unread::TooBig(n) => format!(
                "is {:.1} MB, over the {:.0} MB limit",
                *n as f64 / (1u64 << 20) as f64,
                cap as f64 / (1u64 << 20) as f64
            ),
        }
    }
}

pub(crate) fn io_reason(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file or directory".into(),
        std::io::ErrorKind::PermissionDenied => "permission denied".into(),
        _ => e.to_string(),
    }
}

/// What a path is, without opening it (following links).
fn kind_of(path: &Path) -> Result<std::fs::Metadata, Unread> {
    let meta = std::fs::metadata(path).map_err(|e| {
        let dangling = e.kind() == std::io::ErrorKind::NotFound
            && path
                .symlink_metadata()
                .is_ok_and(|m| m.file_type().is_symlink());
        Unread::Refused(if dangling {
            "is a symbolic link to nothing".into()
        } else {
            format!("cannot be read: {}", io_reason(&e))
        })
    })?;
    if meta.is_dir() {
        return Err(Unread::Refused("is a directory, not a file".into()));
    }
    if !meta.is_file() {
        return Err(Unread::Refused(
            "is not a regular file (a FIFO, a socket or a device): not read".into(),
        ));
    }
    Ok(meta)
}

/// The bytes of a regular file of at most `cap` bytes. The cap holds even for a file that
/// grows while it is read, or that says it is empty (`/proc`).
pub(crate) fn read_capped(path: &Path, cap: u64) -> Result<Vec<u8>, Unread> {
    let meta = kind_of(path)?;
    if meta.len() > cap {
        return Err(Unread::TooBig(meta.len()));
    }
    let file = std::fs::File::open(path)
        .map_err(|e| Unread::Refused(format!("cannot be read: {}", io_reason(&e))))?;
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    file.take(cap.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(|e| Unread::Refused(format!("cannot be read: {}", io_reason(&e))))?;
    if bytes.len() as u64 > cap {
        return Err(Unread::TooBig(bytes.len() as u64));
    }
    Ok(bytes)
}

/// A small text file (a manifest, `poolcheck.toml`, a baseline).
pub(crate) fn read_text(path: &Path) -> Result<String, String> {
    let bytes = read_capped(path, MAX_CONFIG_BYTES).map_err(|u| u.reason(MAX_CONFIG_BYTES))?;
    String::from_utf8(bytes).map_err(|e| {
        format!(
            "is not valid UTF-8 (first bad byte at offset {})",
            e.utf8_error().valid_up_to()
        )
    })
}

/// Whether a path is a regular file (following links), without opening it.
pub(crate) fn is_regular_file(path: &Path) -> bool {
    std::fs::metadata(path).is_ok_and(|m| m.is_file())
}

/// The project a walk may not leave: folder links that resolve outside it are not followed
/// (a committed `src/sys -> /sys` would never end, `-> /usr` would read all of it).
#[derive(Debug, Clone)]
pub(crate) struct Bounds {
    roots: Vec<PathBuf>,
}

impl Bounds {
    pub(crate) fn new(roots: impl IntoIterator<Item = PathBuf>) -> Bounds {
        let roots = roots
            .into_iter()
            .map(|r| std::fs::canonicalize(&r).unwrap_or(r))
            .collect();
        Bounds { roots }
    }

    /// Whether a resolved (canonical) path lies inside the project.
    pub(crate) fn contains(&self, canonical: &Path) -> bool {
        self.roots.iter().any(|r| canonical.starts_with(r))
    }

    /// For a link met by a walk: `None` if it may be followed, else why not.
    pub(crate) fn refuse_link(&self, link: &Path) -> Option<String> {
        match std::fs::canonicalize(link) {
            Ok(target) if self.contains(&target) => None,
            Ok(target) => Some(format!(
                "a link to `{}`, outside the project: not followed",
                target.display()
            )),
            Err(_) => Some("a symbolic link to nothing: skipped".into()),
        }
    }
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    #[test]
    fn devices_are_refused_without_blocking() {
        // FIFOs are tested end to end (tests/any_tree.rs): making one needs a process here.
        let e = read_capped(Path::new("/dev/zero"), 1 << 20).expect_err("a device");
        assert!(
            matches!(&e, Unread::Refused(r) if r.contains("not a regular file")),
            "{e:?}"
        );
    }

    #[test]
    fn the_cap_holds() {
        let dir = tempfile::tempdir().expect("tempdir");
        let f = dir.path().join("big.rs");
        std::fs::write(&f, vec![b'a'; 2048]).expect("write");
        assert_eq!(read_capped(&f, 1024), Err(Unread::TooBig(2048)));
        assert_eq!(read_capped(&f, 4096).map(|b| b.len()), Ok(2048));
    }

    #[test]
    fn links_out_of_the_project_are_refused() {
        let dir = tempfile::tempdir().expect("tempdir");
        let inside = dir.path().join("inside");
        std::fs::create_dir(&inside).expect("mkdir");
        std::os::unix::fs::symlink("/usr", inside.join("usr")).expect("link");
        std::os::unix::fs::symlink(&inside, dir.path().join("back")).expect("link");
        let b = Bounds::new([inside.clone()]);
        assert!(b.refuse_link(&inside.join("usr")).is_some());
        let b = Bounds::new([dir.path().to_path_buf()]);
        assert!(b.refuse_link(&dir.path().join("back")).is_none());
    }
}
