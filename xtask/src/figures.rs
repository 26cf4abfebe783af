//! What a benchmark measures: figures with their units and budgets.

pub const BENCH_PRODUCTS: u32 = 10_000;

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Budget {
    AtMost(f64),
    AtLeast(f64),
}

impl Budget {
    pub fn holds(self, value: f64) -> bool {
        match self {
            Budget::AtMost(max) => value <= max,
            Budget::AtLeast(min) => value >= min,
        }
    }

    pub fn describe(self, unit: &str) -> String {
        match self {
            Budget::AtMost(max) => format!("≤ {} {unit}", trim(max)),
            Budget::AtLeast(min) => format!("≥ {} {unit}", trim(min)),
        }
    }
}

/// One measured figure.
#[derive(Debug, Clone)]
pub struct Figure {
    /// Which table it belongs to: "size", "browser", "api".
    pub group: &'static str,
    pub name: String,
    pub value: f64,
    pub unit: String,
    pub budget: Option<Budget>,
}

impl Figure {
    pub fn new(group: &'static str, name: impl Into<String>, value: f64, unit: impl Into<String>) -> Figure {
        Figure { group, name: name.into(), value, unit: unit.into(), budget: None }
    }

    pub fn budget(mut self, b: Budget) -> Figure {
        self.budget = Some(b);
        self
    }

    pub fn verdict(&self) -> &'static str {
        match self.budget {
            Some(b) if b.holds(self.value) => "ok",
            Some(_) => "MISSED",
            None => "",
        }
    }
}

pub fn trim(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e15 {
        format!("{}", v as i64)
    } else if v.abs() >= 100.0 {
        format!("{v:.0}")
    } else {
        format!("{v:.2}")
    }
}

/// The `name<TAB>value<TAB>unit` lines a bench script printed, as figures of `group`
/// named with `prefix`; anything else is echoed. Error counts must be zero.
pub fn script_figures(text: &str, group: &'static str, prefix: &str) -> Vec<Figure> {
    let mut figures = Vec::new();
    for line in text.lines() {
        let parts: Vec<&str> = line.split('\t').collect();
        let [name, value, unit] = parts[..] else {
            println!("{line}");
            continue;
        };
        let Ok(value) = value.parse::<f64>() else { continue };
        let mut f = Figure::new(group, format!("{prefix}{name}"), value, unit);
        if name.ends_with("errors") {
            f.budget = Some(Budget::AtMost(0.0));
        }
        figures.push(f);
    }
    figures
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn script_lines_become_figures_and_error_counts_must_be_zero() {
        let f = script_figures("noise\norder placement\t501.5\torders/s\norder placement errors\t0\terrors\nbad\tx\tms\n", "api", "soak: ");
        assert_eq!(f.len(), 2);
        assert_eq!((f[0].name.as_str(), f[0].value, f[0].budget), ("soak: order placement", 501.5, None));
        assert_eq!((f[1].name.as_str(), f[1].budget), ("soak: order placement errors", Some(Budget::AtMost(0.0))));
    }
}
