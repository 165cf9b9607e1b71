/*
 * genmodel.h - random models that use every feature of MODEL.md section 3
 * (weights and thresholds, quorums, degrade and crash, permanent crashes,
 * supervisors with detection delays, pools with capacity and boot delay,
 * every initial state, targets with k), for the oracle and determinism
 * tests.
 */
#ifndef FL_GENMODEL_H
#define FL_GENMODEL_H

#include <stdint.h>

/* A YAML model of n vertices (n >= 12) drawn from seed; malloc'd text.
 * Seeds divisible by 3 give models in push mode (host/graph.c): thresholds
 * 0 or 1, every q below 1/32 and shared by the out-edges of each source,
 * and one source (v8) with an out-edge to every other vertex, so that its
 * lanes transmit along several edges at once.  Seeds divisible by 9 also
 * have only `crash` vertices and no supervision, so that D = C always
 * (fl_packed.d_is_c: the OpenMP backend keeps no D planes).  Seeds
 * divisible by 12 are such models that also allow the event form
 * (host/graph.c, pack_event): no pools, nothing permanent, every p_fail
 * below 1/32 (four fail classes). */
char *gen_model_yaml(uint32_t n, uint32_t seed);

#endif
