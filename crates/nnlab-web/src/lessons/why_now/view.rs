//! The "why now" page: the lecture's table as a log-scale chart with this
//! browser's measured speed on it, the measurement's card, the table itself,
//! the three drivers, the timeline and the investment figures.

use std::cell::RefCell;
use std::rc::Rc;

use web_sys::HtmlElement;

use super::chart::{self, power_of_ten, ChartState, BROWSER};
use super::decades::{CHIP_CELLS, DECADES, FLOPS_CELLS, GROWTH_CELLS, RAM_CELLS, SERIES};
use super::meter::{self, Phase};
use super::model::Model;
use crate::error::WebResult;
use crate::i18n::{Key, Lang};
use crate::lessons::kit::bind::Binder;
use crate::lessons::kit::page::{self, Columns, Redraw};
use crate::lessons::{LessonView, Mount};
use crate::widgets::{dom, on_pointer, Button, HiDpiCanvas, Listener};

const CHART_ASPECT: f64 = 0.62;
const CHART_MAX_WIDTH: u32 = 900;

/// The lecture's venture capital figures, in millions of US dollars.
const INVESTMENT_2011: f64 = 19.0;
const INVESTMENT_2014: f64 = 394.0;

/// The "why now" page.
pub struct View {
    lang: Lang,
    canvas: HiDpiCanvas,
    measure: Button,
    progress: HtmlElement,
    progress_fill: HtmlElement,
    speed: HtmlElement,
    column: HtmlElement,
    status: HtmlElement,
    decade_title: HtmlElement,
    decade_cells: [HtmlElement; 4],
    table_columns: Vec<Vec<HtmlElement>>,
    table_buttons: Vec<Button>,
    redraw: Redraw,
    listeners: Vec<Listener>,
}

/// A card with a heading, appended to `parent` and named for `hide=`.
fn card(parent: &HtmlElement, class: &str, id: &str, heading: &str) -> WebResult<HtmlElement> {
    let card: HtmlElement = dom::add(parent, "section", &format!("card {class}"))?;
    card.set_id(id);
    dom::add_text(&card, "h3", "", heading)?;
    Ok(card)
}

/// The lecture's table: a row per quantity, a column per decade; the column
/// headings are buttons that choose the decade.
fn table(parent: &HtmlElement, lang: Lang) -> WebResult<(Vec<Vec<HtmlElement>>, Vec<Button>)> {
    let t = |key| lang.text(key);
    let section = card(
        parent,
        "why-table-card",
        "why-table",
        t(Key::WhyTableHeading),
    )?;
    dom::name_control(&section, "table");
    let scroll: HtmlElement = dom::add(&section, "div", "why-table-scroll")?;
    let table: HtmlElement = dom::add(&scroll, "table", "why-table")?;
    let head: HtmlElement = dom::add(&table, "tr", "")?;
    dom::add::<HtmlElement>(&head, "th", "")?;
    let mut columns: Vec<Vec<HtmlElement>> = vec![Vec::new(); DECADES.len()];
    let mut buttons = Vec::new();
    for (i, year) in DECADES.iter().enumerate() {
        let th: HtmlElement = dom::add(&head, "th", "")?;
        let button = Button::new(&year.to_string(), "small why-decade")?;
        button
            .element
            .set_attribute("data-decade", &year.to_string())?;
        dom::append(&th, &button.element)?;
        columns[i].push(th);
        buttons.push(button);
    }
    let data_cells: Vec<&str> = t(Key::WhyDataCells).split('|').collect();
    let rows: [(Key, Vec<&str>); 5] = [
        (Key::WhyRowData, data_cells),
        (Key::WhyRowRam, RAM_CELLS.to_vec()),
        (Key::WhyRowFlops, FLOPS_CELLS.to_vec()),
        (Key::WhyRowChip, CHIP_CELLS.to_vec()),
        (Key::WhyRowGrowth, GROWTH_CELLS.to_vec()),
    ];
    for (name, cells) in rows {
        let tr: HtmlElement = dom::add(&table, "tr", "")?;
        dom::add_text(&tr, "th", "why-row-name", t(name))?;
        for (i, column) in columns.iter_mut().enumerate() {
            let cell = dom::add_text(&tr, "td", "", cells.get(i).copied().unwrap_or(""))?;
            column.push(cell);
        }
    }
    dom::add_text(&section, "p", "why-note", t(Key::WhyTableNote))?;
    Ok((columns, buttons))
}

/// The three things that changed: data, hardware, algorithms.
fn drivers(parent: &HtmlElement, lang: Lang) -> WebResult<()> {
    let t = |key| lang.text(key);
    let section = card(
        parent,
        "why-drivers",
        "why-drivers",
        t(Key::WhyDriversHeading),
    )?;
    dom::name_control(&section, "drivers");
    dom::add_text(&section, "p", "why-lead", t(Key::WhyDriversLead))?;
    let grid: HtmlElement = dom::add(&section, "div", "why-driver-grid")?;
    for (title, text) in [
        (Key::WhyDriverData, Key::WhyDriverDataText),
        (Key::WhyDriverHardware, Key::WhyDriverHardwareText),
        (Key::WhyDriverAlgorithms, Key::WhyDriverAlgorithmsText),
    ] {
        let item: HtmlElement = dom::add(&grid, "div", "why-driver")?;
        dom::add_text(&item, "h4", "", t(title))?;
        let list: HtmlElement = dom::add(&item, "ul", "")?;
        for line in t(text).lines() {
            dom::add_text(&list, "li", "", line)?;
        }
    }
    Ok(())
}

/// LeNet 1989, LSTM 1997, … 2012: the ideas were old, the success new.
fn timeline(parent: &HtmlElement, lang: Lang) -> WebResult<()> {
    let t = |key| lang.text(key);
    let section = card(
        parent,
        "why-timeline",
        "why-timeline",
        t(Key::WhyTimelineHeading),
    )?;
    dom::name_control(&section, "timeline");
    let list: HtmlElement = dom::add(&section, "ol", "why-events")?;
    for line in t(Key::WhyTimelineEvents).lines() {
        let (year, what) = line.split_once('|').unwrap_or((line, ""));
        let item: HtmlElement = dom::add(&list, "li", "why-event")?;
        if year == "2012" {
            item.class_list().add_1("why-event-turn")?;
        }
        dom::add_text(&item, "span", "why-event-year", year)?;
        dom::add_text(&item, "span", "why-event-text", what)?;
    }
    dom::add_text(&section, "p", "why-note", t(Key::WhyTimelineQuestion))?;
    Ok(())
}

/// 2011's $19M against 2014's $394M as bars, and the deals that followed.
fn investment(parent: &HtmlElement, lang: Lang) -> WebResult<()> {
    let t = |key| lang.text(key);
    let section = card(parent, "why-money", "why-money", t(Key::WhyMoneyHeading))?;
    dom::name_control(&section, "investment");
    for (label, millions) in [
        (Key::WhyMoney2011, INVESTMENT_2011),
        (Key::WhyMoney2014, INVESTMENT_2014),
    ] {
        let row: HtmlElement = dom::add(&section, "div", "why-bar-row")?;
        dom::add_text(&row, "span", "why-bar-label", t(label))?;
        let track: HtmlElement = dom::add(&row, "div", "why-bar-track")?;
        let bar: HtmlElement = dom::add(&track, "div", "why-bar")?;
        let share = millions / INVESTMENT_2014 * 100.0;
        bar.style().set_property("width", &format!("{share:.1}%"))?;
        bar.set_attribute("data-millions", &format!("{millions}"))?;
    }
    let ratio = format!("{:.0}", INVESTMENT_2014 / INVESTMENT_2011);
    dom::add_text(
        &section,
        "p",
        "why-lead",
        &lang.fill(Key::WhyMoneyRatio, &[("ratio", &ratio)]),
    )?;
    let list: HtmlElement = dom::add(&section, "ul", "why-deals")?;
    for line in t(Key::WhyMoneyDeals).lines() {
        dom::add_text(&list, "li", "", line)?;
    }
    Ok(())
}

impl View {
    fn write_measurement(&self, model: &Model) -> WebResult<()> {
        let lang = self.lang;
        let meter = model.meter();
        let phase = meter.phase();
        self.measure.set_label(lang.text(match phase {
            Phase::Idle => Key::WhyMeasure,
            Phase::Running => Key::WhyMeasuring,
            Phase::Done => Key::WhyMeasureAgain,
        }));
        self.measure.element.set_disabled(phase == Phase::Running);
        let percent = meter.progress() * 100.0;
        self.progress_fill
            .style()
            .set_property("width", &format!("{percent:.0}%"))?;
        self.progress
            .set_attribute("aria-valuenow", &format!("{percent:.0}"))?;
        let gflops = meter.flops_per_second().map(|f| f / 1e9);
        let speed = gflops.map_or("—".to_string(), |g| format!("{g:.1}"));
        dom::set_text_if_changed(&self.speed, &speed);
        let equivalent = model.equivalent();
        let column = equivalent.map_or("—".to_string(), |e| DECADES[e.nearest].to_string());
        dom::set_text_if_changed(&self.column, &column);
        let status = match (phase, equivalent) {
            (Phase::Idle, _) => lang.text(Key::WhyMeasureIdle).to_string(),
            (Phase::Running, _) => lang.fill(
                Key::WhyMeasureRunning,
                &[
                    ("percent", &format!("{percent:.0}")),
                    ("products", &meter.products().to_string()),
                ],
            ),
            (Phase::Done, Some(e)) => lang.fill(
                if e.outside {
                    Key::WhyMeasureOutside
                } else {
                    Key::WhyMeasureResult
                },
                &[
                    ("gflops", &speed),
                    ("decade", &DECADES[e.nearest].to_string()),
                    ("year", &format!("{:.0}", e.year)),
                    ("products", &meter.products().to_string()),
                    ("isa", meter.isa_name()),
                ],
            ),
            (Phase::Done, None) => String::new(),
        };
        dom::set_text_if_changed(&self.status, &status);
        Ok(())
    }

    fn write_decade(&self, model: &Model) -> WebResult<()> {
        let lang = self.lang;
        let d = model.decade();
        dom::set_text_if_changed(
            &self.decade_title,
            &lang.fill(Key::WhyDecadeTitle, &[("decade", &DECADES[d].to_string())]),
        );
        let data: Vec<&str> = lang.text(Key::WhyDataCells).split('|').collect();
        let values = [
            data.get(d).copied().unwrap_or(""),
            RAM_CELLS[d],
            FLOPS_CELLS[d],
            CHIP_CELLS[d],
        ];
        for (cell, value) in self.decade_cells.iter().zip(values) {
            dom::set_text_if_changed(cell, value);
        }
        for (i, column) in self.table_columns.iter().enumerate() {
            for cell in column {
                cell.class_list().toggle_with_force("chosen", i == d)?;
            }
        }
        for (i, button) in self.table_buttons.iter().enumerate() {
            button
                .element
                .set_attribute("aria-pressed", if i == d { "true" } else { "false" })?;
        }
        Ok(())
    }
}

impl LessonView for View {
    type Model = Model;

    fn build(&Mount { root, lang, .. }: &Mount, _model: &Model) -> WebResult<View> {
        let t = |key| lang.text(key);
        let columns = Columns::new(root)?;
        let wrap: HtmlElement = dom::add(&columns.figure, "div", "canvas-wrap why-chart")?;
        dom::name_control(&wrap, "chart");
        let canvas = HiDpiCanvas::picture("why-canvas", "why-canvas", t(Key::WhyChartDescription))?;
        dom::append(&wrap, &canvas.element)?;
        let legend_items: Vec<([u8; 3], &str)> = SERIES
            .iter()
            .map(|s| (rgb(s.color), t(s.name)))
            .chain([(rgb(BROWSER), t(Key::WhyLegendBrowser))])
            .collect();
        page::legend(&columns.figure, &legend_items)?;
        dom::add_text(&columns.figure, "p", "why-note", t(Key::WhyChartNote))?;

        // The card: measure this browser, then the chosen decade.
        let measure_box: HtmlElement = dom::create("div", "why-measure")?;
        dom::add_text(&measure_box, "h3", "", t(Key::WhyMeasureHeading))?;
        dom::add_text(
            &measure_box,
            "p",
            "why-note",
            &lang.fill(
                Key::WhyMeasureExplain,
                &[
                    ("m", &meter::M.to_string()),
                    ("k", &meter::K.to_string()),
                    ("n", &meter::N.to_string()),
                ],
            ),
        )?;
        let measure = Button::new(t(Key::WhyMeasure), "primary")?;
        measure.element.set_id("why-measure");
        dom::append(&measure_box, &measure.element)?;
        let progress: HtmlElement = dom::add(&measure_box, "div", "why-progress")?;
        progress.set_id("why-progress");
        progress.set_attribute("role", "progressbar")?;
        progress.set_attribute("aria-valuemin", "0")?;
        progress.set_attribute("aria-valuemax", "100")?;
        progress.set_attribute("aria-label", t(Key::WhyProgressLabel))?;
        let progress_fill: HtmlElement = dom::add(&progress, "div", "why-progress-fill")?;
        let (readouts, [speed, column]) = page::readouts(
            &measure_box,
            [
                (t(Key::WhyReadoutSpeed), "why-gflops"),
                (t(Key::WhyReadoutColumn), "why-column"),
            ],
        )?;
        readouts.class_list().add_1("why-readouts")?;
        let status = page::status_line("p", "why-status", "why-status")?;
        dom::append(&measure_box, &status)?;

        let decade_box: HtmlElement = dom::create("div", "why-decade-box")?;
        let decade_title = dom::add_text(&decade_box, "h3", "", "")?;
        decade_title.set_id("why-decade-title");
        let list: HtmlElement = dom::add(&decade_box, "dl", "why-decade-list")?;
        let mut cells = Vec::new();
        for key in [
            Key::WhyRowData,
            Key::WhyRowRam,
            Key::WhyRowFlops,
            Key::WhyRowChip,
        ] {
            dom::add_text(&list, "dt", "", t(key))?;
            cells.push(dom::add_text(&list, "dd", "", "")?);
        }
        let decade_cells: [HtmlElement; 4] = cells
            .try_into()
            .unwrap_or_else(|_| unreachable!("four rows"));
        columns.add(&[(&measure_box, "measure"), (&decade_box, "decade")])?;
        columns.keyboard_hint(t(Key::WhyKeys))?;

        let below: HtmlElement = dom::add(root, "div", "why-below")?;
        let (table_columns, table_buttons) = table(&below, lang)?;
        drivers(&below, lang)?;
        timeline(&below, lang)?;
        investment(&below, lang)?;

        let (redraw, on_resize) = Redraw::new()?;
        Ok(View {
            lang,
            canvas,
            measure,
            progress,
            progress_fill,
            speed,
            column,
            status,
            decade_title,
            decade_cells,
            table_columns,
            table_buttons,
            redraw,
            listeners: vec![on_resize],
        })
    }

    fn listen(&mut self, model: &Rc<RefCell<Model>>) -> WebResult<()> {
        let mut bind = Binder::new(model);
        bind.keep(self.measure.on_click(bind.act(Model::measure))?);
        for (i, button) in self.table_buttons.iter().enumerate() {
            bind.keep(button.on_click(bind.act(move |m: &mut Model| m.choose(i)))?);
        }
        let chart = model.clone();
        let canvas = self.canvas.element.clone();
        bind.keep(on_pointer(&self.canvas.element, "click", move |(x, _)| {
            let width = f64::from(canvas.client_width());
            if let Some(i) = chart::column_at(width, x) {
                chart.borrow_mut().choose(i);
            }
            Ok(())
        })?);
        self.listeners.extend(bind.finish());
        Ok(())
    }

    fn catch_up(&mut self, model: &Model) -> WebResult<()> {
        let resized = self.redraw.take_resize()
            && self.canvas.fit_to_parent(CHART_ASPECT, CHART_MAX_WIDTH)?;
        if !self.redraw.due(resized, model.revision()) {
            return Ok(());
        }
        self.write_measurement(model)?;
        self.write_decade(model)?;
        let label;
        let browser = match (model.equivalent(), model.meter().flops_per_second()) {
            (Some(e), Some(flops)) => {
                label = self.lang.fill(
                    Key::WhyChartBrowser,
                    &[("gflops", &format!("{:.1}", flops / 1e9))],
                );
                Some((e.year, flops.log10(), label.as_str()))
            }
            _ => None,
        };
        chart::draw(
            &self.canvas,
            &ChartState {
                decade: model.decade(),
                browser,
            },
        )?;
        self.canvas.element.set_attribute(
            "data-browser",
            &browser.map_or(String::new(), |(year, level, _)| {
                format!("{year:.1} {}", power_of_ten(level.floor() as i32))
            }),
        )?;
        Ok(())
    }
}

/// `#rrggbb` as bytes, for the legend's swatches.
fn rgb(hex: &str) -> [u8; 3] {
    let byte = |i: usize| u8::from_str_radix(hex.get(i..i + 2).unwrap_or("00"), 16).unwrap_or(0);
    [byte(1), byte(3), byte(5)]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_colours_read_as_bytes() {
        assert_eq!(rgb("#c2255c"), [0xc2, 0x25, 0x5c]);
        assert_eq!(rgb(super::super::decades::FLOPS.color), [0x3b, 0x4f, 0xd8]);
    }
}
