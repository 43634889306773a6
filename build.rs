//! Embeds every `locales/<lang>/*.ftl` file into the binary: writes `$OUT_DIR/locales.rs`
//! with one `(lang, file, text)` entry per file, so a new .ftl file needs no registration.

use std::fmt::Write as _;
use std::path::Path;

fn main() {
    println!("cargo:rerun-if-changed=locales");
    // Read when the script runs, not when it was compiled: a target folder copied from
    // another checkout keeps the compiled script, which would embed that checkout's files.
    let manifest = std::env::var("CARGO_MANIFEST_DIR").expect("CARGO_MANIFEST_DIR is set by cargo");
    let root = Path::new(&manifest).join("locales");
    let mut entries = Vec::new();
    if let Ok(langs) = std::fs::read_dir(&root) {
        for lang in langs.flatten() {
            let lang_path = lang.path();
            if !lang_path.is_dir() {
                continue;
            }
            println!("cargo:rerun-if-changed={}", lang_path.display());
            let lang_name = lang.file_name().to_string_lossy().into_owned();
            for file in std::fs::read_dir(&lang_path)
                .into_iter()
                .flatten()
                .flatten()
            {
                let path = file.path();
                if path.extension().is_some_and(|e| e == "ftl") {
                    println!("cargo:rerun-if-changed={}", path.display());
                    let name = file.file_name().to_string_lossy().into_owned();
                    entries.push((lang_name.clone(), name, path));
                }
            }
        }
    }
    entries.sort();
    let mut out = String::from("/// Every embedded .ftl file: (locale, file name, text).\n");
    out.push_str("pub static FILES: &[(&str, &str, &str)] = &[\n");
    for (lang, name, path) in &entries {
        let _ = writeln!(
            out,
            "    ({lang:?}, {name:?}, include_str!({:?})),",
            path.display().to_string()
        );
    }
    out.push_str("];\n");
    let dest =
        Path::new(&std::env::var("OUT_DIR").expect("OUT_DIR is set by cargo")).join("locales.rs");
    std::fs::write(dest, out).expect("writing locales.rs");
}
