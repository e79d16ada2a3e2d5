using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Petitions.Web.Data.Migrations
{
    /// <inheritdoc />
    public partial class FullListOnRequest : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "full_list_requested_at",
                table: "delivery_recipients",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "full_list_released_at",
                table: "deliveries",
                type: "timestamp with time zone",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "full_list_requested_at",
                table: "delivery_recipients");

            migrationBuilder.DropColumn(
                name: "full_list_released_at",
                table: "deliveries");
        }
    }
}
