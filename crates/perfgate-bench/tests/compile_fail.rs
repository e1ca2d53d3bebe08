//! Criterion items outside the supported set fail to compile with a message naming them:
//! a fixture bench using `Bencher::to_async`, `Criterion::with_profiler` and a custom
//! measurement is checked (`cargo check`, offline) and its errors are read.

use std::path::Path;
use std::process::Command;

const FIXTURE: &str = r#"
use criterion::{Criterion, criterion_group, criterion_main};

struct Runtime;
struct Profiler;
struct Cycles;

fn bench(c: &mut Criterion) {
    c.bench_function("async", |b| {
        b.to_async(Runtime);
    });
}

fn configured() -> Criterion<Cycles> {
    Criterion::default().with_profiler(Profiler).with_measurement(Cycles)
}

criterion_group! {
    name = benches;
    config = configured();
    targets = bench
}
criterion_main!(benches);
"#;

#[test]
fn unsupported_criterion_items_are_compile_errors_that_name_them() {
    let crate_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("compile-fail");
    std::fs::create_dir_all(dir.join("benches")).unwrap();
    std::fs::write(
        dir.join("Cargo.toml"),
        format!(
            "[package]\nname = \"compile-fail\"\nversion = \"0.0.0\"\nedition = \"2024\"\n\
             [dev-dependencies]\ncriterion = {{ package = \"perfgate-bench\", path = {:?} }}\n\
             [[bench]]\nname = \"unsupported\"\nharness = false\n[workspace]\n",
            crate_dir.display().to_string()
        ),
    )
    .unwrap();
    std::fs::create_dir_all(dir.join("src")).unwrap();
    std::fs::write(dir.join("src/lib.rs"), "").unwrap();
    std::fs::write(dir.join("benches/unsupported.rs"), FIXTURE).unwrap();
    // Lock file of the workspace: the same dependency versions, nothing to download.
    let lock = crate_dir.join("../../Cargo.lock");
    std::fs::copy(lock, dir.join("Cargo.lock")).unwrap();
    let out = Command::new(env!("CARGO"))
        .current_dir(&dir)
        .args(["check", "--benches", "--offline", "--message-format=short"])
        .env("CARGO_TARGET_DIR", dir.join("target"))
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        !out.status.success(),
        "the fixture must not compile:\n{stderr}"
    );
    for message in [
        "perfgate-bench does not support async benchmarks (`Bencher::to_async`)",
        "perfgate-bench does not support criterion profilers (`Criterion::with_profiler`)",
        "perfgate-bench measures wall time only: `Cycles` is not a supported criterion measurement",
    ] {
        assert!(
            stderr.contains(message),
            "missing {message:?} in:\n{stderr}"
        );
    }
}
