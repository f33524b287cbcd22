namespace Hive.Deploy.Tests;

/// <summary>
/// Image tests read the OCI layout deploy/images.sh writes; building every image takes minutes on this
/// machine, so they run only when asked: `bash deploy/images.sh && HIVE_IMAGE_TESTS=1 dotnet test tests/Hive.Deploy.Tests`.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class ImageFactAttribute : FactAttribute
{
    public ImageFactAttribute()
    {
        if (Environment.GetEnvironmentVariable("HIVE_IMAGE_TESTS") != "1")
        {
            Skip = "Opt-in (building the images takes minutes): run `bash deploy/images.sh`, then the tests with HIVE_IMAGE_TESTS=1.";
        }
    }
}
