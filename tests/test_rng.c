/*
 * test_rng.c - the random streams and the bit-sliced helpers.
 *
 * Known-answer vectors of Philox4x32-10 (Random123's kat_vectors), the
 * bit-sliced Bernoulli against the scalar definition "lane L is 1 iff
 * U_L < p" with U_L assembled bit by bit (docs/randomness.md), independence
 * of a lane's result from the mask, its rate, and the counter helpers
 * against plain integer arithmetic.
 */
#include <CUnit/Basic.h>
#include <math.h>
#include <string.h>
#include <stdlib.h>

#include "bitslice.h"
#include "graph.h"
#include "reference.h"
#include "rng.h"

static void test_philox_kat(void)
{
    static const uint32_t kat[3][10] = {
        {0, 0, 0, 0, 0, 0, 0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8},
        {0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff, 0x408f276d, 0x41c83b0e, 0xa20bc7c6,
         0x6d5451fd},
        {0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344, 0xa4093822, 0x299f31d0, 0xd16cfe09, 0x94fdcceb, 0x5001e420,
         0x24126ea1},
    };
    for (int i = 0; i < 3; i++) {
        philox4x32_ctr_t c = {{kat[i][0], kat[i][1], kat[i][2], kat[i][3]}};
        philox4x32_key_t k = {{kat[i][4], kat[i][5]}};
        philox4x32_ctr_t x = philox4x32_R(10, c, k);
        for (int j = 0; j < 4; j++)
            CU_ASSERT_EQUAL(x.v[j], kat[i][6 + j]);
    }
}

/* The kernel's bit-sliced Bernoulli (p >= FL_SPARSE_P) equals U < p lane by
 * lane, for any mask. */
static void test_bernoulli_matches_scalar(void)
{
    uint64_t seed = 0x0123456789abcdefULL;
    fl_rng r = {(uint32_t)seed, (uint32_t)(seed >> 32), 7, 3};
    uint32_t ps[] = {FL_SPARSE_P, 0x80000000u, 0x7fffffffu, 0x40000001u, 0xfffffffeu, 0x10000000u, 0xdeadbeefu};
    for (size_t i = 0; i < sizeof ps / sizeof *ps; i++) {
        for (uint32_t entity = 0; entity < 50; entity++) {
            fl_word masks[3] = {FL_ALL, 0x5555555555555555ULL, (fl_word)entity * 0x9e3779b97f4a7c15ULL};
            fl_word all = fl_bernoulli(r, entity, FL_RNG_HIT, ps[i], FL_ALL);
            for (int mi = 0; mi < 3; mi++) {
                fl_word got = fl_bernoulli(r, entity, FL_RNG_HIT, ps[i], masks[mi]);
                CU_ASSERT_EQUAL(got, all & masks[mi]);
            }
            for (uint32_t lane = 0; lane < 64; lane++) {
                uint64_t trial = 3 * 64 + lane;
                uint32_t u = ref_uniform32(seed, 7, trial, entity, FL_RNG_HIT);
                CU_ASSERT_EQUAL((all >> lane) & 1u, (fl_word)(u < ps[i]));
            }
        }
    }
}

static void test_bernoulli_edges(void)
{
    fl_rng r = {1, 2, 3, 4};
    CU_ASSERT_EQUAL(fl_bernoulli(r, 9, FL_RNG_FAIL, 0, FL_ALL), 0);
    CU_ASSERT_EQUAL(fl_bernoulli(r, 9, FL_RNG_FAIL, FL_P_ONE, FL_ALL), FL_ALL);
    CU_ASSERT_EQUAL(fl_bernoulli(r, 9, FL_RNG_FAIL, FL_P_ONE, 0x12), 0x12);
    CU_ASSERT_EQUAL(fl_bernoulli(r, 9, FL_RNG_FAIL, 0x80000000u, 0), 0);
    CU_ASSERT_EQUAL(fl_i_prob_fixed(1.0), FL_P_ONE);
    CU_ASSERT_EQUAL(fl_i_prob_fixed(0.0), 0);
    CU_ASSERT_EQUAL(fl_i_prob_fixed(0.5), 0x80000000u);
    CU_ASSERT_EQUAL(fl_i_prob_fixed(1.0 - 1e-12), FL_P_ONE - 1u);
    CU_ASSERT_EQUAL(fl_i_prob_fixed(0.25), 0x40000000u);
}

/* Rate of Bernoulli(p) over 64 x 20000 lanes within 6 standard errors, and
 * different purposes, entities, steps and words give different streams. */
static void test_bernoulli_rate(void)
{
    double ps[] = {0.5, 0.1, 0.01, 0.9, 1e-3};
    for (size_t i = 0; i < sizeof ps / sizeof *ps; i++) {
        uint32_t p = fl_i_prob_fixed(ps[i]);
        uint64_t ones = 0, n = 0;
        for (uint32_t w = 0; w < 20000; w++) {
            fl_rng r = {42, 0, w % 17, w};
            ones += (uint64_t)__builtin_popcountll(fl_bernoulli(r, w, FL_RNG_REPAIR, p, FL_ALL));
            n += 64;
        }
        double mean = (double)ones / (double)n, se = sqrt(ps[i] * (1 - ps[i]) / (double)n);
        CU_ASSERT(fabs(mean - ps[i]) <= 6 * se);
    }
    fl_rng r = {42, 0, 1, 1};
    uint32_t p = fl_i_prob_fixed(0.5);
    fl_word a = fl_bernoulli(r, 5, FL_RNG_FAIL, p, FL_ALL);
    CU_ASSERT_NOT_EQUAL(a, fl_bernoulli(r, 5, FL_RNG_REPAIR, p, FL_ALL));
    CU_ASSERT_NOT_EQUAL(a, fl_bernoulli(r, 6, FL_RNG_FAIL, p, FL_ALL));
    fl_rng r2 = {42, 0, 2, 1}, r3 = {42, 0, 1, 2}, r4 = {43, 0, 1, 1};
    CU_ASSERT_NOT_EQUAL(a, fl_bernoulli(r2, 5, FL_RNG_FAIL, p, FL_ALL));
    CU_ASSERT_NOT_EQUAL(a, fl_bernoulli(r3, 5, FL_RNG_FAIL, p, FL_ALL));
    CU_ASSERT_NOT_EQUAL(a, fl_bernoulli(r4, 5, FL_RNG_FAIL, p, FL_ALL));
}

/*
 * The sparse draw (p < FL_SPARSE_P, geometric skipping): a lane's value does
 * not depend on the mask; per lane, the rate is p; per word, the number of
 * lanes that fire has the Binomial(64, p) mean and variance (which a
 * dependence between lanes would change); neighbouring lanes fire together
 * at rate p^2; and the top of the range switches to the bit-sliced draw.
 */
static void test_bernoulli_sparse(void)
{
    double ps[] = {1e-5, 1e-3, 0.01, 0.03};
    uint32_t words = 400000;
    for (size_t i = 0; i < sizeof ps / sizeof *ps; i++) {
        uint32_t p = fl_i_prob_fixed(ps[i]);
        double q = (double)p / 4294967296.0;
        uint64_t lane_ones[64] = {0}, pairs = 0;
        double sum = 0, sum2 = 0;
        for (uint32_t w = 0; w < words; w++) {
            fl_rng r = {7, 1, w % 13, w};
            fl_word x = fl_bernoulli(r, w / 13, FL_RNG_FAIL, p, FL_ALL);
            if (w % 97 == 0) {
                fl_word mask = (fl_word)w * 0x9e3779b97f4a7c15ULL;
                CU_ASSERT_EQUAL(fl_bernoulli(r, w / 13, FL_RNG_FAIL, p, mask), x & mask);
                CU_ASSERT_EQUAL(fl_bernoulli_sparse(r, w / 13, FL_RNG_FAIL, p), x);
            }
            double c = (double)__builtin_popcountll(x);
            sum += c;
            sum2 += c * c;
            pairs += (uint64_t)__builtin_popcountll(x & (x >> 1));
            for (uint32_t L = 0; L < 64; L++)
                lane_ones[L] += (x >> L) & 1u;
        }
        double n = (double)words, mean = sum / n, var = sum2 / n - mean * mean;
        double bmean = 64 * q, bvar = 64 * q * (1 - q);
        CU_ASSERT(fabs(mean - bmean) <= 6 * sqrt(bvar / n));
        /* the variance of a sample variance is about 2 var^2 / n (+ the
         * fourth cumulant, of the order of var / n for a small p) */
        CU_ASSERT(fabs(var - bvar) <= 6 * sqrt((2 * bvar * bvar + bvar) / n));
        double pse = sqrt(63 * q * q / n);
        CU_ASSERT(fabs((double)pairs / n - 63 * q * q) <= 6 * pse + 3 / n);
        for (uint32_t L = 0; L < 64; L++)
            CU_ASSERT(fabs((double)lane_ones[L] / n - q) <= 6 * sqrt(q * (1 - q) / n) + 1 / n);
    }
    /* just below the switch the draw is sparse, at it bit-sliced */
    fl_rng r = {3, 0, 0, 0};
    CU_ASSERT_EQUAL(fl_bernoulli(r, 1, FL_RNG_FAIL, FL_SPARSE_P - 1u, FL_ALL),
                    fl_bernoulli_sparse(r, 1, FL_RNG_FAIL, FL_SPARSE_P - 1u));
}

/*
 * The push draw (fl_push_word, push mode): a source u, down in every lane,
 * with d out-edges of probability q.  Every (out-edge, lane) transmits at
 * rate q; the number of edges that transmit in a lane has the Binomial(d, q)
 * mean and variance and is 0 with probability (1 - q)^d; neighbouring edges
 * and neighbouring lanes transmit together at rate q^2; a lane's result does
 * not depend on which other lanes are down.  d and q cover one transmission
 * per lane at most (d q small) and several (d q > 1).
 */
static void test_push_draws(void)
{
    static const struct {
        uint32_t d;
        double q;
    } cases[] = {{8, 0.005}, {1, 0.03}, {40, 0.03}, {3, 0.0001}};
    for (size_t ci = 0; ci < sizeof cases / sizeof *cases; ci++) {
        uint32_t d = cases[ci].d, n = d + 1, words = cases[ci].q < 0.001 ? 400000 : 60000;
        uint32_t qf = fl_i_prob_fixed(cases[ci].q);
        double q = (double)qf / 4294967296.0;
        uint64_t out_off[64], pw[FL_PUSH_LG];
        uint32_t out_dst[64];
        fl_vparam vp[64];
        fl_word I[64];
        fl_u8 Iv[64];
        memset(vp, 0, sizeof vp);
        fl_sparse_powers(qf, pw, FL_PUSH_LG);
        for (uint32_t v = 0; v <= n; v++)
            out_off[v] = v == 0 ? 0 : d;
        for (uint32_t j = 0; j < d; j++)
            out_dst[j] = j + 1;
        vp[0].push_tab = 0;
        fl_graph g;
        memset(&g, 0, sizeof g);
        g.n = n;
        g.nw = 1;
        g.vp = vp;
        g.out_off = out_off;
        g.out_dst = out_dst;
        g.push_pw = pw;
        uint64_t ones[64] = {0}, none = 0, pairs_edge = 0, pairs_lane = 0;
        double sum = 0, sum2 = 0;
        for (uint32_t w = 0; w < words; w++) {
            fl_rng r = {11, 5, w % 17, w / 17};
            memset(I, 0, sizeof I);
            memset(Iv, 0, sizeof Iv);
            fl_push_word(&g, I, Iv, r, 0, 0, FL_ALL);
            if (w % 101 == 0) { /* fewer lanes down: the same bits in those */
                fl_word mask = (fl_word)(w + 1) * 0x9e3779b97f4a7c15ULL, J[64];
                memcpy(J, I, sizeof J);
                memset(I, 0, sizeof I);
                fl_push_word(&g, I, Iv, r, 0, 0, mask);
                for (uint32_t v = 0; v < n; v++)
                    CU_ASSERT_EQUAL(I[v], J[v] & mask);
                memcpy(I, J, sizeof J);
            }
            for (uint32_t j = 0; j < d; j++) {
                fl_word x = I[j + 1];
                CU_ASSERT(!x || Iv[j + 1]); /* a target with a lane set is marked */
                ones[j] += (uint64_t)__builtin_popcountll(x);
                pairs_lane += (uint64_t)__builtin_popcountll(x & (x >> 1));
                if (j + 1 < d)
                    pairs_edge += (uint64_t)__builtin_popcountll(x & I[j + 2]);
            }
            CU_ASSERT_EQUAL(I[0], 0); /* no self edge */
            for (uint32_t L = 0; L < 64; L++) {
                double k = 0;
                for (uint32_t j = 0; j < d; j++)
                    k += (double)((I[j + 1] >> L) & 1u);
                sum += k;
                sum2 += k * k;
                none += k == 0;
            }
        }
        double lanes = 64.0 * words, mean = sum / lanes, var = sum2 / lanes - mean * mean;
        double bmean = d * q, bvar = d * q * (1 - q), p0 = pow(1 - q, d);
        CU_ASSERT(fabs(mean - bmean) <= 6 * sqrt(bvar / lanes));
        CU_ASSERT(fabs(var - bvar) <= 6 * sqrt((2 * bvar * bvar + bvar) / lanes));
        CU_ASSERT(fabs((double)none / lanes - p0) <= 6 * sqrt(p0 * (1 - p0) / lanes));
        for (uint32_t j = 0; j < d; j++)
            CU_ASSERT(fabs((double)ones[j] / lanes - q) <= 6 * sqrt(q * (1 - q) / lanes) + 1 / lanes);
        if (d > 1) {
            double pe = (double)pairs_edge / (lanes * (d - 1));
            CU_ASSERT(fabs(pe - q * q) <= 6 * sqrt(q * q / (lanes * (d - 1))) + 3 / lanes);
        }
        double pl = (double)pairs_lane / (words * 63.0 * d);
        CU_ASSERT(fabs(pl - q * q) <= 6 * sqrt(q * q / (words * 63.0 * d)) + 3 / lanes);
        CU_ASSERT(sum > 100); /* not a comparison of zeros */
    }
}

/*
 * The crash draw of a group of 1024 trials (fl_fail_group): any sub-range of
 * words, down to one word as an OpenCL work-item asks, gives the words of
 * the whole group, with or without the "none fires" shortcut; per group the
 * number of lanes that fire has the Binomial(1024, p) mean and variance;
 * every word of the group and every lane fires at rate p; neighbouring lanes
 * (across word borders too) fire together at rate p^2.
 */
static void test_fail_group(void)
{
    double ps[] = {1e-5, 1e-3, 0.01, 0.03};
    uint32_t groups = 40000;
    for (size_t i = 0; i < sizeof ps / sizeof *ps; i++) {
        uint32_t p = fl_i_prob_fixed(ps[i]);
        uint64_t none = fl_fail_none(p);
        double q = (double)p / 4294967296.0;
        uint64_t word_ones[FL_GROUP_WORDS] = {0}, lane_ones[64] = {0}, pairs = 0;
        double sum = 0, sum2 = 0;
        for (uint32_t gi = 0; gi < groups; gi++) {
            fl_rng r = {5, 2, gi % 11, (gi / 11) * FL_GROUP_WORDS};
            fl_word F[FL_GROUP_WORDS], G[FL_GROUP_WORDS];
            fl_fail_group(r, gi % 101, p, none, FL_GROUP_WORDS, F);
            if (gi % 7 == 0) {
                fl_fail_group(r, gi % 101, p, 0, FL_GROUP_WORDS, G); /* no shortcut */
                CU_ASSERT_EQUAL(memcmp(F, G, sizeof F), 0);
                for (uint32_t j = 0; j < FL_GROUP_WORDS; j++) {
                    fl_rng rj = r;
                    rj.gword += j;
                    fl_fail_group(rj, gi % 101, p, none, 1u, G);
                    CU_ASSERT_EQUAL(G[0], F[j]);
                }
                fl_rng r3 = r;
                r3.gword += 3;
                fl_fail_group(r3, gi % 101, p, none, 5u, G);
                CU_ASSERT_EQUAL(memcmp(G, F + 3, 5 * sizeof *F), 0);
            }
            double c = 0;
            for (uint32_t j = 0; j < FL_GROUP_WORDS; j++) {
                c += (double)__builtin_popcountll(F[j]);
                word_ones[j] += (uint64_t)__builtin_popcountll(F[j]);
                pairs += (uint64_t)__builtin_popcountll(F[j] & (F[j] >> 1));
                if (j + 1 < FL_GROUP_WORDS)
                    pairs += (F[j] >> 63) & F[j + 1] & 1u;
                for (uint32_t L = 0; L < 64; L++)
                    lane_ones[L] += (F[j] >> L) & 1u;
            }
            sum += c;
            sum2 += c * c;
        }
        double n = (double)groups, mean = sum / n, var = sum2 / n - mean * mean;
        double bmean = 1024 * q, bvar = 1024 * q * (1 - q);
        CU_ASSERT(fabs(mean - bmean) <= 6 * sqrt(bvar / n));
        CU_ASSERT(fabs(var - bvar) <= 6 * sqrt((2 * bvar * bvar + bvar) / n));
        CU_ASSERT(fabs((double)pairs / n - 1023 * q * q) <= 6 * sqrt(1023 * q * q / n) + 3 / n);
        for (uint32_t j = 0; j < FL_GROUP_WORDS; j++)
            CU_ASSERT(fabs((double)word_ones[j] / n - 64 * q) <= 6 * sqrt(64 * q / n) + 1 / n);
        for (uint32_t L = 0; L < 64; L++)
            CU_ASSERT(fabs((double)lane_ones[L] / (n * FL_GROUP_WORDS) - q) <=
                      6 * sqrt(q / (n * FL_GROUP_WORDS)) + 1 / n);
    }
}

/* fl_hit_draw_regs (what an OpenCL work-item may use) gives the bits of
 * fl_hit_draw whenever it takes the draw (at most 8 open counts), and
 * declines otherwise: tables with P = 0, P = 1, random P and P sharing long
 * prefixes (bits compared late), random counts in 2 to 5 planes.  With
 * repair lanes xl (FL_F_LANE_U, lanes without a count) the one comparison
 * gives, in xl, the bits of fl_bernoulli(p_repair) with the hit's purpose
 * and, in the counted lanes, the bits of the hit drawn alone: the fused
 * draw of fl_step_words_n is the two draws docs/randomness.md defines. */
static void test_hit_draw_regs(void)
{
    uint32_t tab[FL_COUNT_MAX_DEG + 1];
    fl_graph g;
    memset(&g, 0, sizeof g);
    g.hit_tab = tab;
    uint64_t x = 88172645463325252ull;
#define NEXT() (x ^= x << 13, x ^= x >> 7, x ^= x << 17, x)
    int taken = 0, declined = 0, hits = 0, repaired = 0;
    for (int trial = 0; trial < 6000; trial++) {
        uint32_t base = (uint32_t)NEXT();
        for (uint32_t m = 0; m <= FL_COUNT_MAX_DEG; m++) {
            uint32_t kind = (uint32_t)(NEXT() % 5), r = (uint32_t)NEXT();
            tab[m] = kind == 0 ? 0 : kind == 1 ? FL_P_ONE : kind == 2 ? r : base ^ (r >> (8 + r % 24));
        }
        uint32_t nb = 2u + (uint32_t)trial % 4u;
        fl_word c[5] = {0, 0, 0, 0, 0};
        for (uint32_t b = 0; b < nb; b++) {
            fl_word a = NEXT(), m = trial % 3 ? NEXT() : FL_ALL; /* few or many counts */
            c[b] = a & m;
        }
        if (!(c[0] | c[1] | c[2] | c[3] | c[4]))
            continue;
        fl_rng r = {(uint32_t)NEXT(), (uint32_t)NEXT(), (uint32_t)NEXT(), (uint32_t)NEXT()};
        uint32_t v = (uint32_t)NEXT();
        fl_word counted = c[0] | c[1] | c[2] | c[3] | c[4];
        fl_word xl = trial % 2 ? NEXT() & ~counted : 0;
        uint32_t xp = trial % 7 == 1 ? FL_P_ONE : trial % 7 == 2 ? 0 : (uint32_t)NEXT() | FL_SPARSE_P;
        fl_word want = fl_hit_draw(&g, r, v, c, 0, xl, xp), got = 0;
        CU_ASSERT_EQUAL_FATAL(want & counted, fl_hit_draw(&g, r, v, c, 0, 0, 0));
        CU_ASSERT_EQUAL_FATAL(want & ~counted, fl_bernoulli(r, v, FL_RNG_HITV, xp, xl));
        repaired += __builtin_popcountll(want & xl);
        if (fl_hit_draw_regs(&g, r, v, c, 0, xl, xp, &got)) {
            CU_ASSERT_EQUAL_FATAL(got, want);
            taken++;
            hits += __builtin_popcountll(want);
        } else {
            declined++;
        }
    }
#undef NEXT
    CU_ASSERT(taken > 2000);
    CU_ASSERT(declined > 100); /* the fallback is exercised by the caller */
    CU_ASSERT(hits > 1000);    /* not a comparison of zeros */
    CU_ASSERT(repaired > 1000);
}

static void test_binomial_tail(void)
{
    uint32_t q = fl_i_prob_fixed(0.3);
    double x = (double)q / 4294967296.0;
    CU_ASSERT_EQUAL(fl_i_binomial_tail(q, 1, 0), 0);
    CU_ASSERT_EQUAL(fl_i_binomial_tail(q, 2, 1), 0);
    CU_ASSERT_EQUAL(fl_i_binomial_tail(q, 1, 1), q);
    CU_ASSERT_EQUAL(fl_i_binomial_tail(q, 1, 3), fl_i_prob_fixed(1 - pow(1 - x, 3)));
    CU_ASSERT_EQUAL(fl_i_binomial_tail(q, 2, 3), fl_i_prob_fixed(3 * x * x * (1 - x) + x * x * x));
    CU_ASSERT_EQUAL(fl_i_binomial_tail(q, 3, 3), fl_i_prob_fixed(x * x * x));
    CU_ASSERT_EQUAL(fl_i_binomial_tail(FL_P_ONE, 2, 2), FL_P_ONE);
    CU_ASSERT_EQUAL(fl_i_binomial_tail(FL_P_ONE, 2, 1), 0);
    CU_ASSERT_EQUAL(fl_i_binomial_tail(0, 1, 31), 0);
    /* q < 1 is never certain, however many in-neighbours are down */
    CU_ASSERT_EQUAL(fl_i_binomial_tail(fl_i_prob_fixed(0.99), 1, 31), FL_P_ONE - 1u);
    /* a small tail keeps its precision */
    uint32_t small = fl_i_prob_fixed(1e-3);
    double y = (double)small / 4294967296.0;
    CU_ASSERT_EQUAL(fl_i_binomial_tail(small, 3, 3), fl_i_prob_fixed(y * y * y));
}

/* Bit-sliced counters against integers, lane by lane. */
static void test_bitslice(void)
{
    srand(7);
    for (int round = 0; round < 200; round++) {
        uint32_t nb = 1 + (uint32_t)(rand() % 12), lim = 1u << nb;
        fl_word p[FL_MAX_PLANES] = {0};
        uint32_t val[64] = {0};
        for (int op = 0; op < 40; op++) {
            fl_word mask = ((fl_word)rand() << 33) ^ ((fl_word)rand() << 11) ^ (fl_word)rand();
            uint32_t c = (uint32_t)rand() % (lim + 3);
            int kind = rand() % 4;
            fl_word over = 0;
            if (kind == 0)
                over = fl_bs_add(p, nb, c, mask);
            else if (kind == 1)
                over = fl_bs_inc(p, nb, mask);
            else if (kind == 2)
                fl_bs_set(p, nb, c % lim, mask);
            for (uint32_t L = 0; L < 64; L++) {
                int in = (mask >> L) & 1u;
                if (kind == 3) {
                    /* decrement only lanes that are > 0 */
                    continue;
                }
                if (!in)
                    continue;
                uint64_t next = kind == 0 ? (uint64_t)val[L] + c : kind == 1 ? (uint64_t)val[L] + 1 : c % lim;
                CU_ASSERT_EQUAL((over >> L) & 1u, (fl_word)(kind < 2 && next >= lim));
                val[L] = (uint32_t)(next % lim);
            }
            if (kind == 3) {
                fl_word nz = fl_bs_nonzero(p, nb) & mask;
                fl_bs_dec(p, nb, nz);
                for (uint32_t L = 0; L < 64; L++)
                    if ((nz >> L) & 1u)
                        val[L]--;
            }
            uint32_t probe = (uint32_t)rand() % (lim + 2);
            fl_word ge = fl_bs_ge(p, nb, probe), nz = fl_bs_nonzero(p, nb);
            for (uint32_t L = 0; L < 64; L++) {
                uint32_t got = 0;
                for (uint32_t b = 0; b < nb; b++)
                    got |= (uint32_t)((p[b] >> L) & 1u) << b;
                CU_ASSERT_EQUAL(got, val[L]);
                CU_ASSERT_EQUAL((ge >> L) & 1u, (fl_word)(val[L] >= probe));
                CU_ASSERT_EQUAL((nz >> L) & 1u, (fl_word)(val[L] != 0));
            }
        }
    }
    CU_ASSERT_EQUAL(fl_bitlen(0), 0);
    CU_ASSERT_EQUAL(fl_bitlen(1), 1);
    CU_ASSERT_EQUAL(fl_bitlen(4), 3);
    CU_ASSERT_EQUAL(fl_bitlen(0xffffffffu), 32);
}

int main(void)
{
    if (CU_initialize_registry() != CUE_SUCCESS)
        return 2;
    CU_pSuite s = CU_add_suite("rng", NULL, NULL);
    CU_add_test(s, "philox4x32-10 known answers", test_philox_kat);
    CU_add_test(s, "bit-sliced Bernoulli equals U < p per lane, any mask", test_bernoulli_matches_scalar);
    CU_add_test(s, "Bernoulli of 0 and 1, fixed point", test_bernoulli_edges);
    CU_add_test(s, "Bernoulli rates and distinct streams", test_bernoulli_rate);
    CU_add_test(s, "sparse Bernoulli: rates, binomial counts, lane independence", test_bernoulli_sparse);
    CU_add_test(s, "crash draw of a group: sub-ranges, binomial counts, rates", test_fail_group);
    CU_add_test(s, "push draw: edge and lane rates, binomial counts, independence, masks", test_push_draws);
    CU_add_test(s, "binomial tails of the direct hit draw", test_binomial_tail);
    CU_add_test(s, "direct hit draw: the register form equals the array form", test_hit_draw_regs);
    CU_add_test(s, "bit-sliced counters", test_bitslice);
    CU_basic_set_mode(CU_BRM_VERBOSE);
    CU_basic_run_tests();
    unsigned failed = CU_get_number_of_failures() + CU_get_number_of_tests_failed();
    CU_cleanup_registry();
    return failed ? 1 : 0;
}
