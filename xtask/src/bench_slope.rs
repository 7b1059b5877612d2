//! The slope of the sizing table (docs/OPERATIONS.md, "Sizing"): the PostgreSQL load passes on
//! one instance beside the same passes on several instances over one database, figure by
//! figure, with their ratio. The figures themselves are in the bench's table and JSON already.

/// What is compared, per pass: throughput, latency, errors and the cost of a sync.
const COMPARED: [&str; 10] = [
    "records_per_s",
    "p50_ms",
    "p99_ms",
    "errors",
    "server_cpu_ms_per_sync",
    "db_cpu_ms_per_sync",
    "db_active_ms_per_sync",
    "bytes_in_per_sync",
    "bytes_out_per_sync",
    "db_lock_waiting_mean",
];

/// Prints one table per load pass (device count; closed loop, paced or idle) run on both.
pub fn print(figures: &[(&str, f64)], instances: u32) {
    if instances < 2 {
        return;
    }
    let value = |key: &str| figures.iter().find(|(k, _)| *k == key).map(|(_, v)| *v);
    let several = format!("load_postgres_x{instances}_");
    // The passes run on several instances: `100`, `100_paced`, …
    let passes: Vec<&str> = figures
        .iter()
        .filter_map(|(k, _)| k.strip_prefix(several.as_str()))
        .filter_map(|rest| rest.strip_suffix("_records_per_s"))
        .filter(|pass| !pass.ends_with("_offered"))
        .collect();
    for pass in passes {
        println!("\n1 vs {instances} instances on one PostgreSQL, {pass} devices:");
        println!("| figure | 1 instance | {instances} instances | ratio |");
        println!("|---|---:|---:|---:|");
        for name in COMPARED {
            let one = value(&format!("load_postgres_{pass}_{name}"));
            let more = value(&format!("{several}{pass}_{name}"));
            let (Some(one), Some(more)) = (one, more) else {
                continue;
            };
            let ratio = if one == 0.0 {
                "–".to_owned()
            } else {
                format!("{:.2}", more / one)
            };
            println!("| {name} | {one:.1} | {more:.1} | {ratio} |");
        }
    }
}
