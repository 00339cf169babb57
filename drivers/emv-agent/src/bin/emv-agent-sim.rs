//! The agent simulator as a program: `emv-agent-sim [--listen 127.0.0.1:1337] [--step-ms 400]
//! [--faults decline,drop,late:3000,garbage,wrong-id,busy,slow-pin:5000]` (faults apply to the
//! next payments, one each, in order).

use std::time::Duration;

use emv_agent::sim::{Fault, SimConfig, Simulator};

fn main() {
    let mut listen = "127.0.0.1:1337".to_string();
    let mut config = SimConfig::default();
    let mut faults = Vec::new();
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = || {
            args.next()
                .unwrap_or_else(|| usage(&format!("{arg} needs a value")))
        };
        match arg.as_str() {
            "--listen" => listen = value(),
            "--poi-id" => config.poi_id = value(),
            "--step-ms" => {
                let ms = value()
                    .parse()
                    .unwrap_or_else(|_| usage("--step-ms needs milliseconds"));
                config.step_delay = Duration::from_millis(ms);
            }
            "--faults" => {
                for name in value().split(',').filter(|f| !f.is_empty()) {
                    faults.push(
                        Fault::parse(name)
                            .unwrap_or_else(|| usage(&format!("unknown fault {name}"))),
                    );
                }
            }
            _ => usage(&format!("unknown argument {arg}")),
        }
    }
    let simulator = Simulator::start(&listen, config).unwrap_or_else(|error| {
        eprintln!("emv-agent-sim: cannot listen on {listen}: {error}");
        std::process::exit(1);
    });
    for fault in faults {
        simulator.inject(fault);
    }
    println!("emv-agent-sim listening on {}", simulator.address());
    loop {
        std::thread::park();
    }
}

fn usage(problem: &str) -> ! {
    eprintln!("emv-agent-sim: {problem}");
    eprintln!(
        "usage: emv-agent-sim [--listen HOST:PORT] [--poi-id ID] [--step-ms MS] [--faults decline,drop,late:MS,garbage,wrong-id,busy,slow-pin:MS]"
    );
    std::process::exit(2);
}
