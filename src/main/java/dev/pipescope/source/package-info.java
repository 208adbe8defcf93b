/**
 * The sources: one package per upstream tool ({@code pipeline} for the adaptive pipeline, {@code dagger},
 * {@code hyperpage}, {@code etl}, and {@code runs} for Pipescope's own run history), each holding what
 * Pipescope knows about its tool: how its layout is recognised, its SQL, its row mapping and how its
 * rows become unified runs. This package holds only the contracts they implement.
 */
package dev.pipescope.source;
