package io.jobwatch.reconcile.aws;

/**
 * How much one reconciliation may read from a service, so that a cycle's cost is bounded whatever the account holds.
 *
 * @param pageSize        items asked for per page (each API caps it itself)
 * @param maxPagesPerList pages read at most from one listing (one job's runs, the job list, the queue list)
 */
public record ListingBounds(int pageSize, int maxPagesPerList) {
    public ListingBounds {
        if (pageSize < 1 || maxPagesPerList < 1) {
            throw new IllegalArgumentException("page size and pages per listing must be at least 1: " + pageSize + ", "
                    + maxPagesPerList);
        }
    }

    /** 100 items a page, 5 pages per listing. */
    public static ListingBounds defaults() {
        return new ListingBounds(100, 5);
    }
}
