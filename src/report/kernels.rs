//! Kernels: matmul GFLOP/s by size (single- and multi-threaded) and elementwise Melem/s.

use std::collections::BTreeMap;

use super::doc::{Block, Chart, LineChart, Section, Table};
use super::input::ReportInput;
use crate::output::units::{duration, three_digits};
use crate::results::BenchmarkResult;

/// Builds the Kernels section.
pub fn section(input: &ReportInput) -> Section {
    let with_unit = |unit: &str| -> Vec<&BenchmarkResult> {
        input
            .results
            .benchmarks
            .iter()
            .filter(|b| {
                b.summary.is_some() && b.throughput.as_ref().is_some_and(|t| t.unit == unit)
            })
            .collect()
    };
    let mut blocks = Vec::new();
    let flops = with_unit("GFLOP/s");
    blocks.push(Block::Subheading("Matrix multiplication".to_string()));
    if flops.is_empty() {
        blocks.push(Block::Text("No GFLOP/s benchmark in this run.".to_string()));
    } else {
        blocks.extend(matmul(&flops));
    }
    let elems = with_unit("Melem/s");
    blocks.push(Block::Subheading(
        "Elementwise and activation kernels".to_string(),
    ));
    if elems.is_empty() {
        blocks.push(Block::Text("No Melem/s benchmark in this run.".to_string()));
    } else {
        let mut t = Table::new(
            &[
                "benchmark",
                "elements",
                "P50 / iter",
                "Melem/s",
                "ns / elem",
            ],
            1,
        );
        for b in elems {
            let p50 = b.summary.expect("filtered on summary").p50_ns;
            let value = b.throughput.as_ref().expect("filtered on throughput").value;
            // Melem/s = elements / p50_ns × 1e3, so elements = Melem/s × p50_ns / 1e3.
            let elements = value * p50 / 1e3;
            t.row(vec![
                b.name.clone(),
                format!("{elements:.0}"),
                duration(p50),
                three_digits(value),
                format!("{:.3}", p50 / elements),
            ]);
        }
        blocks.push(Block::Table(t));
    }
    blocks.push(Block::Text(
        "Throughput is work per iteration divided by the median time per iteration.".to_string(),
    ));
    Section {
        id: "kernels",
        title: "Kernels".to_string(),
        blocks,
    }
}

/// The size a benchmark name ends with: `matmul/512` → 512.
fn size_of(name: &str) -> Option<f64> {
    name.rsplit('/').next()?.parse().ok()
}

/// The series a GFLOP/s benchmark belongs to: its name up to the size, e.g. `matmul_mt`
/// (the suite groups `matmul_mt/512` with `matmul`, but it is a different variant).
fn variant_of(name: &str) -> &str {
    name.rsplit_once('/').map_or(name, |(variant, _)| variant)
}

/// Table by size with one GFLOP/s column per variant, and the GFLOP/s-vs-size chart.
fn matmul(flops: &[&BenchmarkResult]) -> Vec<Block> {
    let mut groups: Vec<&str> = Vec::new();
    let mut by_size: BTreeMap<u64, BTreeMap<&str, (f64, f64)>> = BTreeMap::new();
    let mut unsized_rows = Vec::new();
    for b in flops {
        let p50 = b.summary.expect("filtered on summary").p50_ns;
        let gflops = b.throughput.as_ref().expect("filtered on throughput").value;
        match size_of(&b.name) {
            Some(n) => {
                let variant = variant_of(&b.name);
                if !groups.contains(&variant) {
                    groups.push(variant);
                }
                by_size
                    .entry(n as u64)
                    .or_default()
                    .insert(variant, (p50, gflops));
            }
            None => unsized_rows.push(b),
        }
    }
    let mut header = vec!["size n (n×n · n×n)".to_string()];
    for g in &groups {
        header.push(format!("{g} P50"));
        header.push(format!("{g} GFLOP/s"));
    }
    let mut t = Table {
        right: (0..header.len()).collect(),
        header,
        rows: Vec::new(),
    };
    for (n, row) in &by_size {
        let mut cells = vec![n.to_string()];
        for g in &groups {
            match row.get(g) {
                Some((p50, gf)) => {
                    cells.push(duration(*p50));
                    cells.push(three_digits(*gf));
                }
                None => cells.extend(["–".to_string(), "–".to_string()]),
            }
        }
        t.rows.push(cells);
    }
    let mut blocks = vec![Block::Table(t)];
    if groups.len() > 1 {
        blocks.push(Block::Text(format!(
            "Variants: {}. A size measured by several variants compares them at equal work.",
            groups.join(", ")
        )));
    }
    if !unsized_rows.is_empty() {
        let mut t = Table::new(&["other GFLOP/s benchmark", "P50 / iter", "GFLOP/s"], 1);
        for b in unsized_rows {
            let p50 = b.summary.expect("filtered on summary").p50_ns;
            let gflops = b.throughput.as_ref().expect("filtered on throughput").value;
            t.row(vec![b.name.clone(), duration(p50), three_digits(gflops)]);
        }
        blocks.push(Block::Table(t));
    }
    let series = groups
        .iter()
        .map(|g| {
            let points = by_size
                .iter()
                .filter_map(|(n, row)| row.get(g).map(|(_, gf)| (*n as f64, *gf)))
                .collect();
            (g.to_string(), points)
        })
        .collect();
    blocks.push(Block::Chart(Chart::Lines(LineChart {
        title: "matmul GFLOP/s vs size".to_string(),
        x_label: "n (matrices n×n)".to_string(),
        y_label: "GFLOP/s at P50".to_string(),
        series,
    })));
    blocks
}
