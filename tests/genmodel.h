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

/* A YAML model of n vertices (n >= 8) drawn from seed; malloc'd text. */
char *gen_model_yaml(uint32_t n, uint32_t seed);

#endif
