/*
 * cloud_default: the embedded default fleet, the text of fleets/default.json
 * (test_fleet checks that the two agree). Ten regions named after AWS's,
 * at their cities; two or three zones each; two 48-vCPU hosts per zone; an
 * instance catalog modelled on EC2's on-demand Linux prices in us-east-1,
 * scaled per region by price_factor. Regenerate after editing the file:
 *   sed 's/\\/\\\\/g; s/"/\\"/g; s/^/\t"/; s/$/\\n"/' fleets/default.json
 */
#include "cloud_fleet.h"

static const char text[] =
	"{\n"
	"  \"host\": {\"vcpus\": 48, \"mem_gib\": 192, \"usd_per_hour\": 1.10},\n"
	"  \"types\": [\n"
	"    {\"name\": \"t3.nano\", \"vcpus\": 2, \"mem_gib\": 0.5, \"usd_per_hour\": 0.0052},\n"
	"    {\"name\": \"t3.micro\", \"vcpus\": 2, \"mem_gib\": 1, \"usd_per_hour\": 0.0104},\n"
	"    {\"name\": \"t3.small\", \"vcpus\": 2, \"mem_gib\": 2, \"usd_per_hour\": 0.0208},\n"
	"    {\"name\": \"t3.medium\", \"vcpus\": 2, \"mem_gib\": 4, \"usd_per_hour\": 0.0416},\n"
	"    {\"name\": \"t3.large\", \"vcpus\": 2, \"mem_gib\": 8, \"usd_per_hour\": 0.0832},\n"
	"    {\"name\": \"t3.xlarge\", \"vcpus\": 4, \"mem_gib\": 16, \"usd_per_hour\": 0.1664},\n"
	"    {\"name\": \"t3.2xlarge\", \"vcpus\": 8, \"mem_gib\": 32, \"usd_per_hour\": 0.3328},\n"
	"    {\"name\": \"c5.large\", \"vcpus\": 2, \"mem_gib\": 4, \"usd_per_hour\": 0.085},\n"
	"    {\"name\": \"r5.large\", \"vcpus\": 2, \"mem_gib\": 16, \"usd_per_hour\": 0.126},\n"
	"    {\"name\": \"m5.large\", \"vcpus\": 2, \"mem_gib\": 8, \"usd_per_hour\": 0.096},\n"
	"    {\"name\": \"m5.xlarge\", \"vcpus\": 4, \"mem_gib\": 16, \"usd_per_hour\": 0.192},\n"
	"    {\"name\": \"m5.2xlarge\", \"vcpus\": 8, \"mem_gib\": 32, \"usd_per_hour\": 0.384}\n"
	"  ],\n"
	"  \"regions\": [\n"
	"    {\"code\": \"ap-south-1\", \"name\": \"Mumbai\", \"city\": \"Mumbai\", \"price_factor\": 1.05,\n"
	"     \"zones\": [{\"name\": \"ap-south-1a\", \"hosts\": 2}, {\"name\": \"ap-south-1b\", \"hosts\": 2}]},\n"
	"    {\"code\": \"us-east-2\", \"name\": \"Ohio\", \"city\": \"Columbus\", \"price_factor\": 1.00,\n"
	"     \"zones\": [{\"name\": \"us-east-2a\", \"hosts\": 2}, {\"name\": \"us-east-2b\", \"hosts\": 2}]},\n"
	"    {\"code\": \"us-east-1\", \"name\": \"N. Virginia\", \"city\": \"Ashburn\", \"price_factor\": 1.00,\n"
	"     \"zones\": [{\"name\": \"us-east-1a\", \"hosts\": 2}, {\"name\": \"us-east-1b\", \"hosts\": 2}, {\"name\": \"us-east-1c\", \"hosts\": 2}]},\n"
	"    {\"code\": \"us-west-2\", \"name\": \"Oregon\", \"city\": \"Boardman\", \"price_factor\": 1.00,\n"
	"     \"zones\": [{\"name\": \"us-west-2a\", \"hosts\": 2}, {\"name\": \"us-west-2b\", \"hosts\": 2}]},\n"
	"    {\"code\": \"eu-west-1\", \"name\": \"Ireland\", \"city\": \"Dublin\", \"price_factor\": 1.11,\n"
	"     \"zones\": [{\"name\": \"eu-west-1a\", \"hosts\": 2}, {\"name\": \"eu-west-1b\", \"hosts\": 2}]},\n"
	"    {\"code\": \"eu-central-1\", \"name\": \"Frankfurt\", \"city\": \"Frankfurt\", \"price_factor\": 1.20,\n"
	"     \"zones\": [{\"name\": \"eu-central-1a\", \"hosts\": 2}, {\"name\": \"eu-central-1b\", \"hosts\": 2}]},\n"
	"    {\"code\": \"ap-southeast-1\", \"name\": \"Singapore\", \"city\": \"Singapore\", \"price_factor\": 1.25,\n"
	"     \"zones\": [{\"name\": \"ap-southeast-1a\", \"hosts\": 2}, {\"name\": \"ap-southeast-1b\", \"hosts\": 2}]},\n"
	"    {\"code\": \"ap-northeast-1\", \"name\": \"Tokyo\", \"city\": \"Tokyo\", \"price_factor\": 1.29,\n"
	"     \"zones\": [{\"name\": \"ap-northeast-1a\", \"hosts\": 2}, {\"name\": \"ap-northeast-1b\", \"hosts\": 2}]},\n"
	"    {\"code\": \"ap-southeast-2\", \"name\": \"Sydney\", \"city\": \"Sydney\", \"price_factor\": 1.25,\n"
	"     \"zones\": [{\"name\": \"ap-southeast-2a\", \"hosts\": 2}, {\"name\": \"ap-southeast-2b\", \"hosts\": 2}]},\n"
	"    {\"code\": \"sa-east-1\", \"name\": \"Sao Paulo\", \"city\": \"Sao Paulo\", \"price_factor\": 1.59,\n"
	"     \"zones\": [{\"name\": \"sa-east-1a\", \"hosts\": 2}, {\"name\": \"sa-east-1b\", \"hosts\": 2}]}\n"
	"  ]\n"
	"}\n"
	;

const char *cloud_fleet_default_json(void)
{
	return text;
}
