//! The monitoring figures of a group of reports (a region, an industry, an ownership type):
//! headcounts summed, then 岗位流失率 against the baseline and against last month.

use serde::Serialize;

use crate::indicators::Ratio;

/// Sums over the reports of one month. Rates are computed from the sums, never averaged.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Figures {
    /// Enterprises that reported.
    pub enterprises: i64,
    /// 建档期就业人数.
    pub baseline: i64,
    /// Last month's headcount (the baseline for a first report).
    pub previous: i64,
    /// 调查期就业人数.
    pub headcount: i64,
    pub new_hires: i64,
    pub decrease: i64,
}

impl Figures {
    pub fn add(
        &mut self,
        baseline: i64,
        previous: i64,
        headcount: i64,
        new_hires: i64,
        decrease: i64,
    ) {
        self.enterprises += 1;
        self.baseline += baseline;
        self.previous += previous;
        self.headcount += headcount;
        self.new_hires += new_hires;
        self.decrease += decrease;
    }

    pub fn merge(&mut self, other: &Figures) {
        self.enterprises += other.enterprises;
        self.baseline += other.baseline;
        self.previous += other.previous;
        self.headcount += other.headcount;
        self.new_hires += other.new_hires;
        self.decrease += other.decrease;
    }

    /// Headcount change on last month (negative: jobs lost).
    pub fn net_change(&self) -> i64 {
        self.headcount - self.previous
    }

    /// 岗位流失率 against the baseline: (建档期 − 调查期) / 建档期; negative when jobs grew.
    pub fn loss_rate(&self) -> Option<Ratio> {
        Ratio::of_counts(self.baseline - self.headcount, self.baseline)
    }

    /// The same against last month: (上月 − 本月) / 上月.
    pub fn monthly_loss_rate(&self) -> Option<Ratio> {
        Ratio::of_counts(self.previous - self.headcount, self.previous)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rates_come_from_the_sums() {
        let mut f = Figures::default();
        f.add(100, 100, 90, 0, 10);
        f.add(300, 290, 300, 10, 0);
        assert_eq!(f.enterprises, 2);
        assert_eq!(f.net_change(), 0);
        assert_eq!(f.loss_rate(), Ratio::of_counts(10, 400));
        assert_eq!(f.monthly_loss_rate(), Some(Ratio::ZERO));
        assert_eq!(Figures::default().loss_rate(), None);
        let mut g = Figures::default();
        g.merge(&f);
        g.merge(&f);
        assert_eq!((g.enterprises, g.baseline), (4, 800));
    }
}
