//! The reports screen (managers): sales per performance, tender, user and hour with a plot of
//! sales per hour, refunds with reason and authoriser, Z reports; CSV export of any report.

use egui::RichText;
use egui_plot::{Bar, BarChart, Plot};

use crate::app::views::TableView;
use crate::domain::Money;
use crate::i18n::{Lang, Text, tr};

pub const REPORT_KINDS: [&str; 3] = ["sales", "refunds", "z"];

pub enum ReportAction {
    Load {
        kind: String,
        from: String,
        to: String,
    },
    Export {
        name: String,
        tables: Vec<TableView>,
    },
}

/// The dates start empty and are filled with today in the user's format when first drawn.
#[derive(Default)]
pub struct ReportsScreen {
    pub kind: usize,
    pub from: String,
    pub to: String,
    pub tables: Vec<TableView>,
    pub loaded_for: Option<(usize, String, String)>,
}

/// A date field's text as the ledger's `YYYY-MM-DD`, once it holds a whole date: a local
/// date (`5.12.2026`) or an ISO one, its year written out (so `5.12.20`, half typed, asks for
/// nothing).
fn whole_date(text: &str, today: chrono::NaiveDate) -> Option<String> {
    let year_written = text
        .split(|c: char| !c.is_ascii_digit())
        .any(|digits| digits.len() == 4);
    year_written
        .then(|| crate::i18n::parse_local_date(text, today))
        .flatten()
        .map(|date| date.format("%Y-%m-%d").to_string())
}

/// The hour axis shows the whole hours of the day (`09`, `18`), nothing between them.
pub fn hour_label(value: f64) -> String {
    if value.fract() == 0.0 && (0.0..=24.0).contains(&value) {
        format!("{:02}", value as i64)
    } else {
        String::new()
    }
}

/// The hours the plot spans: an hour of room on each side of the bars, within the day.
pub fn hour_range(hours: &[f64]) -> (f64, f64) {
    let first = hours.iter().copied().fold(24.0, f64::min);
    let last = hours.iter().copied().fold(0.0, f64::max);
    ((first - 1.0).max(0.0), (last + 1.0).min(24.0))
}

fn kind_label(lang: Lang, kind: &str) -> &'static str {
    tr(
        lang,
        match kind {
            "sales" => Text::ReportSales,
            "refunds" => Text::ReportRefunds,
            _ => Text::ReportZ,
        },
    )
}

/// A table's or a column's name for people.
fn people(lang: Lang, name: &str) -> String {
    crate::i18n::back_office_label(lang, name)
        .map(str::to_string)
        .unwrap_or_else(|| name.trim_end_matches("_cents").replace('_', " "))
}

impl super::View for ReportsScreen {
    type Action = ReportAction;

    fn ui(&mut self, ui: &mut egui::Ui, cx: &super::ViewContext, actions: &mut Vec<ReportAction>) {
        let lang = cx.lang;
        self.controls_ui(ui, lang, actions);
        egui::ScrollArea::vertical().show(ui, |ui| {
            if let Some(per_hour) = self.tables.iter().find(|t| t.name == "per_hour") {
                per_hour_plot_ui(ui, lang, cx.currency, per_hour);
            }
            for table in &self.tables {
                ui.add_space(8.0);
                table_ui(ui, lang, cx.currency, table);
            }
        });
    }
}

impl ReportsScreen {
    /// The kind, the dates and the export; a changed choice asks for the report again (the
    /// service refuses malformed dates with a sentence).
    fn controls_ui(&mut self, ui: &mut egui::Ui, lang: Lang, actions: &mut Vec<ReportAction>) {
        let today = chrono::Local::now().date_naive();
        if self.from.is_empty() && self.to.is_empty() && self.loaded_for.is_none() {
            self.from = crate::i18n::date_text(today, lang);
            self.to = self.from.clone();
        }
        ui.horizontal(|ui| {
            for (index, kind) in REPORT_KINDS.iter().enumerate() {
                ui.selectable_value(&mut self.kind, index, kind_label(lang, kind));
            }
            ui.separator();
            let label = ui.label(tr(lang, Text::From));
            ui.add(egui::TextEdit::singleline(&mut self.from).desired_width(110.0))
                .labelled_by(label.id);
            let label = ui.label(tr(lang, Text::To));
            ui.add(egui::TextEdit::singleline(&mut self.to).desired_width(110.0))
                .labelled_by(label.id);
            if ui.button(tr(lang, Text::ExportCsv)).clicked() && !self.tables.is_empty() {
                // The file is named by the dates the report was made for, as the ledger writes them.
                if let Some((kind, from, to)) = &self.loaded_for {
                    actions.push(ReportAction::Export {
                        name: format!("{}-{from}-{to}", REPORT_KINDS[*kind]),
                        tables: self.tables.clone(),
                    });
                }
            }
        });
        // Dates as people type them (5.12.2026, 2026-12-05); asked for only once whole.
        let (Some(from), Some(to)) = (whole_date(&self.from, today), whole_date(&self.to, today))
        else {
            ui.label(
                RichText::new(tr(lang, Text::DateFormatHint)).color(ui.visuals().warn_fg_color),
            );
            return;
        };
        let wanted = (self.kind, from, to);
        if self.loaded_for.as_ref() != Some(&wanted) {
            self.loaded_for = Some(wanted.clone());
            actions.push(ReportAction::Load {
                kind: REPORT_KINDS[self.kind].to_string(),
                from: wanted.1,
                to: wanted.2,
            });
        }
    }
}

/// Sales per hour as bars over a real hour axis: whole hours of the day, one bar per hour.
fn per_hour_plot_ui(
    ui: &mut egui::Ui,
    lang: Lang,
    currency: crate::domain::Currency,
    per_hour: &TableView,
) {
    let bars: Vec<Bar> = per_hour
        .rows
        .iter()
        .map(|row| {
            let hour = row[0].as_f64().unwrap_or_default();
            let euros = row[3].as_f64().unwrap_or_default() / 100.0;
            Bar::new(hour, euros).width(0.8)
        })
        .collect();
    ui.label(RichText::new(tr(lang, Text::SalesPerHour)).strong());
    let hours: Vec<f64> = bars.iter().map(|b| b.argument).collect();
    let (first, last) = hour_range(&hours);
    Plot::new("sales_per_hour")
        .height(200.0)
        .allow_scroll(false)
        .include_x(first)
        .include_x(last)
        .include_y(0.0)
        .x_grid_spacer(egui_plot::uniform_grid_spacer(|_| [1.0, 3.0, 6.0]))
        .x_axis_formatter(|mark, _| hour_label(mark.value))
        .y_axis_formatter(move |mark, _| {
            currency.format(Money::from_cents((mark.value * 100.0).round() as i64))
        })
        .show(ui, |plot| {
            plot.bar_chart(BarChart::new(tr(lang, Text::SalesPerHour), bars))
        });
}

/// Rows of a table shown at once; more scroll inside the table.
const TABLE_ROWS_SHOWN: usize = 15;

/// One report table: its name, the columns' names and the rows, every value in words. Only
/// the rows in view are laid out (a month of a large ledger is thousands of rows: laid out
/// whole, one frame took over a second), in columns of equal width, cut with "…" when long.
fn table_ui(ui: &mut egui::Ui, lang: Lang, currency: crate::domain::Currency, table: &TableView) {
    let title = ui.label(RichText::new(people(lang, &table.name)).strong());
    // Tests find the table by its name and read how many rows it has (only the rows in view
    // are laid out, so counting cells would not tell).
    super::test_name(ui, &title, &format!("report-{}", table.name));
    ui.ctx()
        .accesskit_node_builder(title.id, |node| node.set_row_count(table.rows.len()));
    let columns = table.columns.len().max(1);
    let width = ((ui.available_width() - 24.0) / columns as f32).max(60.0);
    let height = ui.text_style_height(&egui::TextStyle::Body) + 6.0;
    let cell = |ui: &mut egui::Ui, text: RichText| {
        ui.allocate_ui_with_layout(
            egui::vec2(width, height),
            egui::Layout::left_to_right(egui::Align::Center),
            |ui| {
                ui.set_min_size(egui::vec2(width, height));
                ui.add(egui::Label::new(text).truncate());
            },
        );
    };
    ui.horizontal(|ui| {
        ui.spacing_mut().item_spacing.x = 0.0;
        for column in &table.columns {
            cell(ui, RichText::new(people(lang, column)).weak());
        }
    });
    let shown = table.rows.len().min(TABLE_ROWS_SHOWN) as f32;
    egui::ScrollArea::vertical()
        .id_salt(("report-table", &table.name))
        .max_height(shown * height + 2.0)
        .auto_shrink([false, true])
        .show_rows(ui, height, table.rows.len(), |ui, range| {
            ui.spacing_mut().item_spacing.y = 0.0;
            for index in range {
                let row = &table.rows[index];
                let fill = if index % 2 == 1 {
                    ui.visuals().faint_bg_color
                } else {
                    egui::Color32::TRANSPARENT
                };
                egui::Frame::new().fill(fill).show(ui, |ui| {
                    ui.horizontal(|ui| {
                        ui.spacing_mut().item_spacing.x = 0.0;
                        for (value, column) in row.iter().zip(&table.columns) {
                            cell(ui, RichText::new(cell_text(lang, currency, column, value)));
                        }
                    });
                });
            }
        });
}

/// A value for people: cents as money, times in local time in the user's language, tenders
/// and refund reasons in words, nothing as a dash.
fn cell_text(
    lang: Lang,
    currency: crate::domain::Currency,
    column: &str,
    value: &serde_json::Value,
) -> String {
    match value {
        serde_json::Value::Number(n) if column.ends_with("_cents") => {
            currency.format(Money::from_cents(n.as_i64().unwrap_or_default()))
        }
        serde_json::Value::String(s) if column.ends_with("_at") => {
            // Local time, whatever offset the ledger wrote.
            let local = chrono::DateTime::parse_from_rfc3339(s)
                .map(|at| at.with_timezone(&chrono::Local).to_rfc3339())
                .unwrap_or_else(|_| s.clone());
            crate::i18n::date_time_text(&local, lang)
        }
        serde_json::Value::String(s) if column == "trading_day" => {
            chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d")
                .map(|day| crate::i18n::date_text(day, lang))
                .unwrap_or_else(|_| s.clone())
        }
        serde_json::Value::String(s) if column == "tender" => {
            crate::i18n::tender_name(lang, s).to_string()
        }
        serde_json::Value::String(s) if column == "reason_code" => {
            crate::i18n::refund_reason(lang, s).to_string()
        }
        serde_json::Value::String(s) => s.clone(),
        serde_json::Value::Null => "–".into(),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_report_date_is_taken_as_people_type_it_once_its_year_is_written() {
        let today = chrono::NaiveDate::from_ymd_opt(2026, 12, 1).unwrap_or_default();
        let date = |text| whole_date(text, today);
        assert_eq!(date("5.12.2026").as_deref(), Some("2026-12-05"));
        assert_eq!(date(" 1.11.2026 ").as_deref(), Some("2026-11-01"));
        assert_eq!(date("2026-12-05").as_deref(), Some("2026-12-05"));
        // Half typed: nothing is asked for yet.
        for partial in [
            "5",
            "5.12",
            "5.12.20",
            "5.12.202",
            "2026-1",
            "31.2.2026",
            "",
        ] {
            assert_eq!(date(partial), None, "{partial:?}");
        }
    }

    #[test]
    fn the_hour_axis_has_whole_hours_only_and_spans_the_sales_with_room() {
        assert_eq!(hour_label(9.0), "09");
        assert_eq!(hour_label(18.0), "18");
        // Not 17.6 … 18.4 as a decimal axis once showed.
        assert_eq!(hour_label(17.6), "");
        assert_eq!(hour_label(18.4), "");
        assert_eq!(hour_range(&[18.0]), (17.0, 19.0));
        assert_eq!(hour_range(&[0.0, 23.0]), (0.0, 24.0));
        assert_eq!(hour_range(&[10.0, 14.0, 12.0]), (9.0, 15.0));
    }
}
