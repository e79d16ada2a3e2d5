namespace Petitions.BrowserTests;

public class UnitTest1
{
    [Fact]
    public void Test1()
    {

    }
}
