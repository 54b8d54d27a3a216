package io.jobwatch.core.detail;

class InMemoryRunDetailsContractTest extends RunDetailsContract {
    @Override
    protected RunDetails newDetails() {
        return new InMemoryRunDetails();
    }
}
