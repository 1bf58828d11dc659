namespace Portal.DemoServices.Tests.Unit;

public sealed class DemoDataTests
{
    [Fact]
    public void SeedTenant_EachTenant_HasFourToSixPatientsWithInsuranceAndClaims()
    {
        foreach (var tenant in DemoData.Tenants)
        {
            var (patients, insurance, claims) = DemoData.SeedTenant(tenant.Id);

            Assert.InRange(patients.Count, 4, 6);
            Assert.All(patients, p =>
            {
                Assert.InRange(insurance.Count(i => i.PatientId == p.Id), 1, 2);
                Assert.InRange(claims.Count(c => c.PatientId == p.Id), 1, 3);
            });
            Assert.Equal(patients.Count, patients.Select(p => p.Id).Distinct().Count());
            Assert.Equal(claims.Count, claims.Select(c => c.Id).Distinct().Count());
        }
    }

    [Fact]
    public void SeedTenant_TwoTenants_ShareNoPatientNames()
    {
        var first = DemoData.SeedTenant(DemoData.Tenant1).Patients;
        var second = DemoData.SeedTenant(DemoData.Tenant2).Patients;

        Assert.Empty(first.Select(p => p.FirstName).Intersect(second.Select(p => p.FirstName)));
        Assert.Empty(first.Select(p => p.LastName).Intersect(second.Select(p => p.LastName)));
    }

    [Fact]
    public void Users_AreTheDocumentedDemoAccounts()
    {
        Assert.Equal(DemoData.DemoUserId, DemoStore.FindByCredentials("demo@htpi.com", "demo123")?.Id);
        Assert.Equal(DemoData.JohnUserId, DemoStore.FindByCredentials("JOHN@example.com ", "password123")?.Id);
        Assert.Null(DemoStore.FindByCredentials("demo@htpi.com", "Demo123"));
    }

    [Fact]
    public void ToString_UserAndPatient_PrintIdOnly()
    {
        var user = DemoData.Users[0];
        var patient = DemoData.SeedTenant(DemoData.Tenant1).Patients[0];

        Assert.DoesNotContain(user.Password, user.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(patient.LastName, patient.ToString(), StringComparison.Ordinal);
    }
}
