//! What the generated-input tests share.

/// xorshift64*: small, seeded, good enough to pick mutations; every run is the same.
pub struct Rng(pub u64);

impl Rng {
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    #[allow(dead_code)] // each test crate uses what it needs
    pub fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }

    #[allow(dead_code)]
    pub fn pick<'t, T>(&mut self, items: &'t [T]) -> &'t T {
        &items[self.below(items.len())]
    }
}
