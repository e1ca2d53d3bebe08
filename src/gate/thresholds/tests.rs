use std::path::Path;

use super::*;

fn parse(text: &str) -> Result<Thresholds, InputError> {
    Thresholds::parse(text, Path::new("t.toml"))
}

fn err(text: &str) -> String {
    parse(text).unwrap_err().to_string()
}

#[test]
fn built_in_defaults_are_the_committed_file_with_its_rules() {
    let builtin = Thresholds::default();
    assert_eq!((builtin.alpha, builtin.ab_alpha), (0.01, 0.01));
    let mt = builtin.for_benchmark("matmul_mt/512").unwrap();
    let st = builtin.for_benchmark("matmul/512").unwrap();
    assert_eq!((mt.alloc_bytes, mt.allocs), (None, None));
    assert_eq!((st.alloc_bytes, st.allocs), (Some(0.0), Some(0.0)));
}

#[test]
fn rules_override_defaults_for_matching_benchmarks_only() {
    let t = parse(
        "[defaults]\np50 = \"3%\"\n[[rule]]\nmatch = \"model/*\"\np50 = \"off\"\np95 = \"20%\"\n",
    )
    .unwrap();
    let m = t.for_benchmark("model/small/generate").unwrap();
    assert_eq!((m.p50, m.p95), (None, Some(0.20)));
    let k = t.for_benchmark("matmul/256").unwrap();
    assert_eq!((k.p50, k.p95), (Some(0.03), None));
}

#[test]
fn unknown_key_names_file_line_and_key() {
    let e = err("[defaults]\np50 = \"5%\"\np51 = \"5%\"\n");
    assert!(
        e.contains("t.toml") && e.contains("line 3") && e.contains("p51"),
        "{e}"
    );
    let e = err("[gate]\nalpah = 0.1\n");
    assert!(e.contains("line 2") && e.contains("alpah"), "{e}");
}

#[test]
fn bad_percentage_names_file_line_and_key() {
    let e = err("[defaults]\n\np95 = \"ten\"\n");
    assert!(
        e.contains("t.toml: line 3: key `p95`") && e.contains("not a percentage"),
        "{e}"
    );
    let e = err("[[rule]]\nmatch = \"a*\"\nallocs = \"-2%\"\n");
    assert!(e.contains("line 3: key `allocs`"), "{e}");
    let e = err("[defaults]\nnoise_floor = \"off\"\n");
    assert!(e.contains("line 2: key `noise_floor`"), "{e}");
}

#[test]
fn bad_values_of_other_keys_are_rejected() {
    let e = err("[gate]\nalpha = 1.5\n");
    assert!(e.contains("line 2: key `alpha`"), "{e}");
    let e = err("[gate]\nmachine_mismatch = \"ignore\"\n");
    assert!(
        e.contains("line 2: key `machine_mismatch`") && e.contains("ignore"),
        "{e}"
    );
    let e = err("[defaults]\ninconclusive = \"pass\"\n");
    assert!(e.contains("line 2: key `inconclusive`"), "{e}");
    let e = err("[gate]\nalpha = \"0.05\"\n");
    assert!(e.contains("line 2"), "{e}");
    let e = err("[[rule]]\np50 = \"5%\"\n");
    assert!(e.contains("line 2: key `match`"), "{e}");
    let e = err("[[rule]]\nmatch = \"a[\"\n");
    assert!(
        e.contains("line 2: key `match`") && e.contains("bad glob"),
        "{e}"
    );
    let e = err("[defaults]\np50 = \"5%\"\n[defaults]\n");
    assert!(e.contains("line 3"), "{e}");
}

#[test]
fn overlapping_rules_that_conflict_name_both_lines_and_the_key() {
    let t = parse(
        "[[rule]]\nmatch = \"matmul/*\"\np50 = \"8%\"\n\n[[rule]]\nmatch = \"*/512\"\np50 = \"9%\"\n",
    )
    .unwrap();
    let e = t.for_benchmark("matmul/512").unwrap_err().to_string();
    assert!(
        e.contains("t.toml: line 7: key `p50`") && e.contains("line 3") && e.contains("matmul/512"),
        "{e}"
    );
    assert_eq!(t.for_benchmark("matmul/256").unwrap().p50, Some(0.08));
}

#[test]
fn overlapping_rules_that_agree_are_fine() {
    let t =
        parse("[[rule]]\nmatch = \"a*\"\np50 = \"8%\"\n[[rule]]\nmatch = \"*b\"\np50 = \"8%\"\n")
            .unwrap();
    assert_eq!(t.for_benchmark("ab").unwrap().p50, Some(0.08));
}
