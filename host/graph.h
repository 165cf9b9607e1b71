/*
 * graph.h - the model packed for the kernels (internal).
 *
 * fl_i_graph_pack turns a validated fl_model into the CSR arrays and
 * fixed-point parameters of kernels/step.h (fl_graph), lays out the
 * bit-sliced counter planes, and builds the initial state of one trial
 * word.  Backends copy or borrow these host arrays.
 */
#ifndef FL_GRAPH_H
#define FL_GRAPH_H

#include "model.h"
#include "step.h"

typedef struct fl_packed {
    uint32_t n, npool, ntarget, target_k;
    uint64_t m, ns;
    uint64_t *in_off;                        /* [n+1], NULL in push mode */
    uint32_t *in_src, *in_eid, *in_q, *in_w; /* [m], NULL in push mode */
    uint64_t *sup_off;                       /* [n+1] */
    uint32_t *sup_src, *sup_eid;             /* [ns] */
    fl_vparam *vp;                           /* [n] */
    fl_pparam *pp;                           /* [npool] */
    uint32_t *members;                       /* [pool members] */
    uint32_t nmembers;
    uint32_t *target;  /* [ntarget] */
    uint32_t *hit_tab; /* fl_hit_count's tables, FL_COUNT_MAX_DEG + 1 entries each */
    uint32_t nhit_tab; /* entries */
    uint32_t nplanes;  /* counter planes per trial word */
    uint32_t any_perm; /* some vertex has FL_F_PERM: else the P and B planes are never used */
    uint32_t push;     /* push mode (FL_F_PUSH on every vertex): synchronous steps push their hits (fl_push_word) */
    uint32_t d_is_c;   /* push mode, no supervision edge, every vertex `crash` or threshold 0: D = C always,
                          and no step reads D while C changes, so a backend may keep one plane for both */
    uint64_t *out_off; /* push mode: [n+1] out-edges by source, else NULL */
    uint32_t *out_dst; /* push mode: [m] */
    uint64_t *push_pw; /* push mode: FL_PUSH_LG powers per distinct q */
    uint32_t npush_pw; /* entries */
    uint32_t event;    /* the event form (fl_event_step): push mode with d_is_c, and no P, B or counters */
    uint32_t nfail;    /* event form: fail classes (distinct p_fail > 0 of vertices not forced down) */
    uint32_t *fail_off, *fail_list; /* [nfail + 1], and the classes' vertices in increasing index */
    uint64_t *fail_pw;              /* [nfail * FL_EVENT_PW] */
    uint32_t *ev, *fail_base;       /* fl_graph.ev, fl_graph.fail_base */
    fl_word *init_bits;             /* event form: one trial's initial bitmap (fl_event_init) */
    uint32_t *init_list, ninit;     /* and its list of down vertices */
    /* initial state of every trial word (the same for all trials) */
    fl_word *init_C, *init_P; /* [n], one word per vertex: all lanes alike */
    fl_word *init_cnt;        /* [nplanes] */
} fl_packed;

/* Probability -> 32-bit fixed point (rng.h). */
uint32_t fl_i_prob_fixed(double p);

/* P(Binomial(m, q) >= k) in fixed point, q itself fixed point (host/graph.c). */
uint32_t fl_i_binomial_tail(uint32_t q, uint32_t k, uint32_t m);

/* The step forms a run allows (fl_i_graph_pack): */
enum fl_form {
    FL_FORM_PULL = 0,  /* the pull form only (instant steps, or --hits pull) */
    FL_FORM_PUSH = 1,  /* push mode where the model allows it (--hits push) */
    FL_FORM_AUTO = 2,  /* the event form where allowed and the state is predicted sparse, else as PUSH */
    FL_FORM_EVENT = 3, /* the event form wherever allowed, else as PUSH (--hits event) */
};

/* The forms a run with these options allows (enum fl_hits, fl_propagation). */
int fl_i_step_form(int hits, int propagation);

/* The packed form of model, with up to `threads` OpenMP threads.  form
 * (enum fl_form): with PUSH and above, push mode is packed when the model
 * allows it (pk->push), and then only its arrays (out-edges; in_* NULL, no
 * hit tables); otherwise the pull form's (in-edges by target, hit tables;
 * out_* NULL).  With AUTO and EVENT, push mode may also take the event
 * form (pk->event, pack_event in graph.c). */
int fl_i_graph_pack(fl_packed *pk, const fl_model *model, int form, int threads, char *err, size_t err_size);
void fl_i_graph_free(fl_packed *pk);

/* The room of the event form's lists at first (fl_event_step):
 * FAULTLINE_EVENT_ROOM (to test their growth), else 1024, at least the
 * vertices down at 0 and at most n (a list never holds more: the down and
 * the repaired vertices of a step are distinct).  The backends grow the
 * lists when a step says they are too small. */
uint32_t fl_i_event_room(const fl_packed *pk);

/* The room after `room`: twice, at most n; 0 when room is n already (a
 * list that overflows then is a bug: FL_EVENT_OVERFLOW, with room). */
uint32_t fl_i_event_more_room(const fl_packed *pk, uint32_t room);
#define FL_EVENT_OVERFLOW "the event form's lists of %u vertices overflowed: a bug, please report it"

/* The view of pk that the kernels read, for nw trial words. */
fl_graph fl_i_graph_view(const fl_packed *pk, uint32_t nw);

#endif
