using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Petitions.Web.Data.Migrations
{
    /// <inheritdoc />
    public partial class PetitionCountryCounts : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "petition_country_counts",
                columns: table => new
                {
                    petition_id = table.Column<long>(type: "bigint", nullable: false),
                    country = table.Column<string>(type: "character varying(2)", maxLength: 2, nullable: false),
                    count = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_petition_country_counts", x => new { x.petition_id, x.country });
                    table.ForeignKey(
                        name: "fk_petition_country_counts_petitions_petition_id",
                        column: x => x.petition_id,
                        principalTable: "petitions",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            // The counts so far, from the signatures already counted; SignatureCounter keeps them from here on.
            migrationBuilder.Sql(
                """
                INSERT INTO petition_country_counts (petition_id, country, count)
                SELECT petition_id, country, count(*)
                FROM signatures WHERE state = 'Confirmed' AND counted
                GROUP BY petition_id, country
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "petition_country_counts");
        }
    }
}
